/**
 * Ground-truth label rows: one per login event the simulator writes (normal and attack, both periods), and their
 * RFC 4180 CSV form.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import type { LoginEventKind } from '../assemble/event.js';

/** Who produced a labelled event. */
export type LabelActor = 'user' | 'service' | 'internet' | 'attacker';

/** One labelled login event. `start`/`end` are the times printed in the log (the host's skewed clock), epoch ms. */
export interface LabelRow {
  /** Host name as printed. */
  host: string;
  /** The sshd pid printed on the Accepted/Failed/Invalid user lines; the sudo/su pid; `null` when not printed. */
  pid: number | null;
  /** User logging in (ssh, including invalid names as typed) or invoking user (sudo/su). */
  user: string | null;
  /** Source address (ssh), `null` for sudo/su. */
  source: string | null;
  /** Printed time of the event's first line, epoch ms (second precision for RFC 3164 hosts). */
  start: number;
  /** Printed time of the event's last line, epoch ms; `null` when the event is still open when the log ends. */
  end: number | null;
  /** Event kind as the assembler defines it. */
  kind: LoginEventKind;
  /** 1 for events injected by an attack scenario, 0 otherwise. */
  label: 0 | 1;
  /** `'normal'` or the scenario name. */
  scenario: string;
  /** Period the event starts in. */
  period: 'history' | 'test';
  /** Failed authentication attempts inside the event (Failed lines for ssh, PAM auth failures for sudo/su). */
  failures: number;
  /** Whether the login (or sudo/su) succeeded. */
  outcome: 'success' | 'failure';
  /** Who produced the event. */
  actor: LabelActor;
  /** Scenario instance id (`brute_force#1`), `null` for normal events. */
  incident: string | null;
  /** sudo/su target user; `null` for ssh. */
  target: string | null;
  /** ssh method of the last authentication attempt (`publickey`, `password`); `null` for sudo/su. */
  method: string | null;
}

/** CSV column order of {@link LabelRow} (plus a readable `start_iso`). */
export const LABEL_COLUMNS = [
  'host', 'pid', 'user', 'source', 'start', 'end', 'kind', 'label', 'scenario', 'period',
  'failures', 'outcome', 'actor', 'incident', 'target', 'method', 'start_iso',
] as const;

function csvField(v: string): string {
  if (v.length === 0) return v;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 44 || c === 34 || c === 10 || c === 13) return '"' + v.replace(/"/g, '""') + '"';
  }
  return v;
}

/** The CSV header line (with CRLF, per RFC 4180). */
export function labelCsvHeader(): string {
  return LABEL_COLUMNS.join(',') + '\r\n';
}

/** One label row as a CSV line (with CRLF). `null` is written as an empty field. */
export function labelToCsv(r: LabelRow): string {
  return (
    csvField(r.host) + ',' + (r.pid === null ? '' : String(r.pid)) + ',' + csvField(r.user ?? '') + ',' +
    csvField(r.source ?? '') + ',' + r.start + ',' + (r.end === null ? '' : String(r.end)) + ',' + r.kind + ',' +
    r.label + ',' + csvField(r.scenario) + ',' + r.period + ',' + r.failures + ',' + r.outcome + ',' + r.actor + ',' +
    csvField(r.incident ?? '') + ',' + csvField(r.target ?? '') + ',' + csvField(r.method ?? '') + ',' +
    new Date(r.start).toISOString() + '\r\n'
  );
}

/** Splits CSV text into records of fields (RFC 4180: quoted fields may hold commas, quotes and newlines). */
export class CsvSplitter {
  private field = '';
  private row: string[] = [];
  private quoted = false;
  private afterQuote = false;
  private pendingCr = false;

  /** Feeds a chunk of text and returns the records completed by it. */
  push(chunk: string): string[][] {
    const out: string[][] = [];
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i];
      if (this.quoted) {
        if (ch === '"') {
          if (i + 1 < chunk.length) {
            if (chunk[i + 1] === '"') {
              this.field += '"';
              i++;
            } else {
              this.quoted = false;
              this.afterQuote = true;
            }
          } else {
            // decide on next chunk: treat as closing; a following '"' reopens as an escaped quote
            this.quoted = false;
            this.afterQuote = true;
          }
        } else this.field += ch;
        continue;
      }
      if (this.afterQuote && ch === '"') {
        // escaped quote split across chunks
        this.field += '"';
        this.quoted = true;
        this.afterQuote = false;
        continue;
      }
      this.afterQuote = false;
      if (ch === ',') {
        this.row.push(this.field);
        this.field = '';
      } else if (ch === '\n' || ch === '\r') {
        if (ch === '\n' && this.pendingCr) {
          this.pendingCr = false;
          continue;
        }
        this.pendingCr = ch === '\r';
        this.row.push(this.field);
        this.field = '';
        out.push(this.row);
        this.row = [];
      } else if (ch === '"' && this.field.length === 0) {
        this.quoted = true;
      } else this.field += ch;
      if (ch !== '\r') this.pendingCr = false;
    }
    return out;
  }

  /** Ends input: returns the last record when the text did not end with a newline. */
  end(): string[][] {
    if (this.field.length > 0 || this.row.length > 0) {
      this.row.push(this.field);
      const r = this.row;
      this.row = [];
      this.field = '';
      return [r];
    }
    return [];
  }
}

const KINDS: ReadonlySet<string> = new Set(['ssh_session', 'ssh_failed', 'ssh_no_user', 'sudo', 'su', 'console', 'audit']);
const ACTORS: ReadonlySet<string> = new Set(['user', 'service', 'internet', 'attacker']);

function nullable(s: string | undefined): string | null {
  return s === undefined || s === '' ? null : s;
}

function intOrNull(s: string | undefined): number | null {
  if (s === undefined || s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/**
 * Turns CSV records (first one the header) into label rows. Columns are found by name, so extra or reordered
 * columns are fine. Throws an Error naming the line for a row that is not a label.
 */
export function rowsToLabels(records: readonly string[][], header: readonly string[], firstLine = 2): LabelRow[] {
  const idx = (name: string): number => header.indexOf(name);
  const need = ['host', 'pid', 'user', 'source', 'start', 'end', 'kind', 'label', 'scenario', 'period'];
  for (const n of need) if (idx(n) < 0) throw new Error(`labels: missing column ${n}`);
  const iHost = idx('host'), iPid = idx('pid'), iUser = idx('user'), iSource = idx('source'), iStart = idx('start');
  const iEnd = idx('end'), iKind = idx('kind'), iLabel = idx('label'), iScen = idx('scenario'), iPeriod = idx('period');
  const iFail = idx('failures'), iOut = idx('outcome'), iActor = idx('actor'), iInc = idx('incident');
  const iTarget = idx('target'), iMethod = idx('method');
  const out: LabelRow[] = [];
  for (let n = 0; n < records.length; n++) {
    const f = records[n];
    if (f.length === 1 && f[0] === '') continue;
    const start = Number(f[iStart]);
    const kind = f[iKind];
    const label = f[iLabel];
    const period = f[iPeriod];
    if (!Number.isFinite(start) || !KINDS.has(kind) || (label !== '0' && label !== '1') || (period !== 'history' && period !== 'test')) {
      throw new Error(`labels: line ${firstLine + n} is not a label row`);
    }
    const actor = iActor >= 0 ? f[iActor] : '';
    out.push({
      host: f[iHost] ?? '',
      pid: intOrNull(f[iPid]),
      user: nullable(f[iUser]),
      source: nullable(f[iSource]),
      start,
      end: intOrNull(f[iEnd]),
      kind: kind as LoginEventKind,
      label: label === '1' ? 1 : 0,
      scenario: f[iScen] ?? 'normal',
      period,
      failures: iFail >= 0 ? Number(f[iFail]) || 0 : 0,
      outcome: iOut >= 0 && f[iOut] === 'failure' ? 'failure' : 'success',
      actor: ACTORS.has(actor) ? (actor as LabelActor) : label === '1' ? 'attacker' : 'user',
      incident: iInc >= 0 ? nullable(f[iInc]) : null,
      target: iTarget >= 0 ? nullable(f[iTarget]) : null,
      method: iMethod >= 0 ? nullable(f[iMethod]) : null,
    });
  }
  return out;
}

/** Parses labels CSV text (as written by {@link writeSimulation}). */
export function parseLabelsCsv(text: string): LabelRow[] {
  const sp = new CsvSplitter();
  const recs = sp.push(text).concat(sp.end());
  if (recs.length === 0) throw new Error('labels: empty file (no header)');
  return rowsToLabels(recs.slice(1), recs[0]);
}

/** Reads a labels CSV file (streaming read; the rows are returned as one array). */
export async function readLabels(path: string): Promise<LabelRow[]> {
  const sp = new CsvSplitter();
  let header: string[] | null = null;
  const out: LabelRow[] = [];
  let line = 2;
  const take = (recs: string[][]): void => {
    if (recs.length === 0) return;
    let from = 0;
    if (header === null) {
      header = recs[0];
      from = 1;
    }
    const body = recs.slice(from);
    const rows = rowsToLabels(body, header, line);
    line += body.length;
    for (const r of rows) out.push(r);
  };
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const chunk of stream) take(sp.push(chunk as string));
  take(sp.end());
  if (header === null) throw new Error(`labels: ${path} is empty (no header)`);
  return out;
}

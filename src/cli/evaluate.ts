/**
 * `loginsight evaluate --labels labels.csv SCORED.jsonl`: joins scored events (as written by `loginsight score`)
 * to ground-truth labels (as written by `loginsight simulate`) and prints ROC-AUC, average precision,
 * precision@k, recall at fixed false-positive rates, per-scenario recall and rank, and coverage.
 *
 * @module
 */
import { EVENT_ECS_FIELDS, emptyEvent, type LoginEvent, type LoginEventKind } from '../assemble/event.js';
import { EVENT_KINDS } from '../assemble/index.js';
import { evaluate, formatEvaluation, readLabels, type EvaluateOptions, type EvaluationReport, type LabelRow, type ScoredLike } from '../evaluate/index.js';
import { fromEcs, getEcs } from '../io/ecs.js';
import { describeFsError } from '../io/glob.js';
import { resolveInputs } from '../io/glob.js';
import { readLines } from '../io/read-lines.js';
import { CsvSplitter } from '../simulate/index.js';
import { writeFileAtomic } from '../io/atomic.js';
import { choiceOption, durationOption, flagOption, parseCommandArgs, requiredString, stringOption, type OptionValues } from './args.js';
import { EXIT, InputError, UsageError, type CliCommand, type CliIo } from './command.js';
import { COMMON_HELP, asUsage, inputsOf, n, resolvePath } from './common.js';
import { createProgress } from './progress.js';
import { SUMMARIES } from './summaries.js';

const HELP = `Usage: loginsight evaluate --labels LABELS.csv [options] [SCORED...|-]

Join scored login events (as written by 'loginsight score': JSON Lines with dotted or nested keys, or
CSV; .gz ok) to ground-truth labels (as written by 'loginsight simulate') and report how well the scores rank the
labelled attacks: ROC-AUC, average precision, precision@k, recall at a fixed false-positive rate,
per-scenario recall and rank, and coverage. A labelled event the pipeline never produced counts as
missed (scored lowest). Events join labels by host + pid + user + start time within a tolerance.

Options:
  --labels FILE        labels.csv from 'loginsight simulate' (required)
  --period P           Labels to evaluate against: test (default), history, all
  --kinds K[,K...]     Only these event kinds: ${EVENT_KINDS.join(', ')}
  --k N[,N...]         k values of precision@k (default 10,50,100)
  --fpr X[,X...]       False-positive-rate budgets in (0, 1) (default 0.01,0.001)
  --tolerance D        Largest start-time difference for a join (default 2s; 500ms, 30s, ...)
  -o, --out FILE       Also write the report as JSON to FILE (atomically)

${COMMON_HELP}
  (the report goes to stdout: a text table, or with --json the report object)

Examples:
  loginsight evaluate --labels sim/labels.csv scored.jsonl
  loginsight score --model model sim/test.log | loginsight evaluate --labels sim/labels.csv --json - | jq .rocAuc
  loginsight evaluate --labels sim/labels.csv --kinds ssh_session,ssh_failed --k 20 scored.jsonl.gz

Exit codes: 0 ok, 2 bad usage, 3 unreadable or empty labels / scored events.`;

function listOption(values: OptionValues, name: string): string[] | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw new UsageError(`--${name} needs a comma-separated list, got ${JSON.stringify(raw)}`);
  return parts;
}

/** Reads the evaluation options from the command line. */
export function evaluateSettings(values: OptionValues): EvaluateOptions {
  const o: EvaluateOptions = {};
  o.period = choiceOption(values, 'period', ['test', 'history', 'all'] as const, 'test');
  const kinds = listOption(values, 'kinds');
  if (kinds !== undefined) {
    for (const k of kinds) {
      if (!(EVENT_KINDS as readonly string[]).includes(k)) throw new UsageError(`--kinds must list event kinds from ${EVENT_KINDS.join(', ')}, got ${JSON.stringify(k)}`);
    }
    o.kinds = kinds as LoginEventKind[];
  }
  const ks = listOption(values, 'k');
  if (ks !== undefined) {
    o.k = ks.map((s) => {
      const v = Number(s);
      if (!Number.isInteger(v) || v < 1 || v > 10_000_000) throw new UsageError(`--k must be integers from 1 to 10000000, got ${JSON.stringify(s)}`);
      return v;
    });
  }
  const fprs = listOption(values, 'fpr');
  if (fprs !== undefined) {
    o.fpr = fprs.map((s) => {
      const v = Number(s);
      if (!Number.isFinite(v) || v <= 0 || v >= 1) throw new UsageError(`--fpr must be numbers between 0 and 1 (exclusive), got ${JSON.stringify(s)}`);
      return v;
    });
  }
  const tol = durationOption(values, 'tolerance', { minMs: 0, maxMs: 86_400_000 });
  if (tol !== undefined) o.toleranceMs = tol;
  return o;
}

/** Turns one scored-event JSON object (dotted or nested ECS) back into an event and its score (NaN if absent). */
export function scoredFromEcs(obj: Readonly<Record<string, unknown>>): ScoredLike {
  const event: LoginEvent = fromEcs(obj, EVENT_ECS_FIELDS, emptyEvent('ssh_session', 0));
  const raw = getEcs(obj, 'anomaly.score');
  const score = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  return { event, score };
}

/** Numeric and boolean columns of scored-event CSV (every other column is text; an empty cell is null). */
const CSV_NUMBER_COLUMNS: ReadonlySet<string> = new Set(['process.pid', 'source.port', 'loginsight.failures', 'loginsight.lines', 'event.duration', 'anomaly.score', 'anomaly.normalized']);
const CSV_BOOLEAN_COLUMNS: ReadonlySet<string> = new Set(['ssh.invalid_user', 'loginsight.incomplete', 'anomaly.is_anomaly']);
const CSV_SAFE_PREFIXED = /^'[=+\-@\t\r\n\uff1d\uff0b\uff0d\uff20]/;

/** One CSV cell of our own output back to a value (undoing the formula-injection quote prefix). */
function csvValue(column: string, cell: string): unknown {
  if (cell === '') return null;
  if (CSV_NUMBER_COLUMNS.has(column)) {
    const v = Number(cell);
    return Number.isFinite(v) ? v : null;
  }
  if (CSV_BOOLEAN_COLUMNS.has(column)) return cell === 'true';
  return CSV_SAFE_PREFIXED.test(cell) ? cell.slice(1) : cell;
}

/**
 * Reads scored events from JSON Lines or CSV (as written by `loginsight score --format csv`), detected per input
 * by its first non-blank line.
 */
async function* readScored(inputs: readonly string[], io: CliIo): AsyncGenerator<Record<string, unknown>[]> {
  const files = await resolveInputs(inputs, io.cwd);
  for (const file of files) {
    let mode: 'json' | 'csv' | null = null;
    let header: string[] | null = null;
    let lineNo = 0;
    const splitter = new CsvSplitter();
    const toObjects = (records: string[][]): Record<string, unknown>[] => {
      const out: Record<string, unknown>[] = [];
      for (const rec of records) {
        if (header === null) {
          header = rec;
          continue;
        }
        if (rec.length === 1 && rec[0] === '') continue;
        const obj: Record<string, unknown> = {};
        for (let i = 0; i < header.length; i++) obj[header[i]] = csvValue(header[i], rec[i] ?? '');
        out.push(obj);
      }
      return out;
    };
    for await (const lines of readLines([file], { stdin: io.stdin, cwd: io.cwd })) {
      if (mode === null) {
        const first = lines.find((l) => l.trim() !== '');
        if (first === undefined) {
          lineNo += lines.length;
          continue;
        }
        mode = first.trimStart().startsWith('{') ? 'json' : 'csv';
      }
      if (mode === 'csv') {
        const objs = toObjects(splitter.push(lines.join('\n') + '\n'));
        if (objs.length > 0) yield objs;
        continue;
      }
      const out: Record<string, unknown>[] = [];
      for (const line of lines) {
        lineNo++;
        if (line.trim() === '') continue;
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch (err) {
          throw new InputError(`${file}:${lineNo}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
        }
        if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InputError(`${file}:${lineNo}: not a JSON object`);
        out.push(value as Record<string, unknown>);
      }
      if (out.length > 0) yield out;
    }
    if (mode === 'csv') {
      const rest = toObjects(splitter.push('\n'));
      if (rest.length > 0) yield rest;
    }
  }
}

async function loadLabels(path: string): Promise<LabelRow[]> {
  let labels: LabelRow[];
  try {
    labels = await readLabels(path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    const msg = code !== undefined && /^E[A-Z]+$/.test(code) ? describeFsError(err) : err instanceof Error ? err.message : String(err);
    throw new InputError(`${path}: ${msg}`);
  }
  if (labels.length === 0) throw new InputError(`${path}: no label rows (expected labels.csv from loginsight simulate)`);
  return labels;
}

/** The `evaluate` command. */
export const evaluateCommand: CliCommand = {
  name: 'evaluate',
  summary: SUMMARIES.evaluate,
  help: HELP,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        labels: { type: 'string' },
        period: { type: 'string' },
        kinds: { type: 'string' },
        k: { type: 'string' },
        fpr: { type: 'string' },
        tolerance: { type: 'string' },
        out: { type: 'string', short: 'o' },
      },
      true,
    );
    const labelsPath = resolvePath(io, requiredString(values, 'labels', 'FILE (labels.csv from loginsight simulate)'));
    const options = evaluateSettings(values);
    const outRaw = stringOption(values, 'out');
    const out = outRaw === undefined ? null : resolvePath(io, outRaw);
    const inputs = inputsOf(positionals, io);
    const labels = await loadLabels(labelsPath);
    const progress = createProgress(io, flagOption(values, 'quiet'));
    const scored: ScoredLike[] = [];
    let withoutScore = 0;
    try {
      for await (const batch of readScored(inputs, io)) {
        for (const obj of batch) {
          const s = scoredFromEcs(obj);
          if (Number.isNaN(s.score)) withoutScore++;
          scored.push(s);
        }
        progress.update({ label: 'reading scored events', done: scored.length, unit: 'events', fraction: null });
      }
    } finally {
      progress.clear();
    }
    const what = inputs.join(' ');
    if (scored.length === 0) throw new InputError(`${what}: no scored events (expected JSON Lines from loginsight score)`);
    if (withoutScore === scored.length) throw new InputError(`${what}: no event has an anomaly.score field (expected the output of loginsight score)`);
    const report: EvaluationReport = asUsage(() => evaluate(scored, labels, options));
    if (out !== null) await writeFileAtomic(out, JSON.stringify(report, null, 2) + '\n');
    if (flagOption(values, 'json')) {
      io.stdout.write(JSON.stringify(report) + '\n');
    } else {
      let text = formatEvaluation(report);
      if (!text.endsWith('\n')) text += '\n';
      io.stdout.write(text);
      if (withoutScore > 0 && !flagOption(values, 'quiet')) {
        io.stderr.write(`loginsight evaluate: warning: ${n(withoutScore)} events had no anomaly.score and were ranked lowest\n`);
      }
    }
    return EXIT.ok;
  },
};

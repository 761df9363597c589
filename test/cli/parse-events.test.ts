import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { run } from './helpers.js';

const LINES = [
  'Mar  4 09:15:02 web-03 sshd[123]: Accepted password for alice from 10.0.0.5 port 50022 ssh2',
  'Mar  4 09:15:02 web-03 sshd[123]: pam_unix(sshd:session): session opened for user alice(uid=1001) by (uid=0)',
  'garbage that no grammar knows',
  'Mar  4 09:20:00 web-03 sshd[123]: Received disconnect from 10.0.0.5 port 50022:11: disconnected by user',
  'Mar  4 09:20:00 web-03 sshd[123]: Disconnected from user alice 10.0.0.5 port 50022',
  'Mar  4 09:20:00 web-03 sshd[123]: pam_unix(sshd:session): session closed for user alice',
  'Mar  4 09:30:00 web-03 sshd[200]: Invalid user =cmd|calc from 6.6.6.6 port 4444',
  'Mar  4 09:30:01 web-03 sshd[200]: Failed password for invalid user =cmd|calc from 6.6.6.6 port 4444 ssh2',
  'Mar  4 09:30:02 web-03 sshd[200]: Connection closed by invalid user =cmd|calc 6.6.6.6 port 4444 [preauth]',
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'li-cli-'));
  await writeFile(join(dir, 'auth.log'), LINES.join('\r\n') + '\r\n');
  await writeFile(join(dir, 'auth.log.1.gz'), gzipSync(LINES.slice(0, 2).join('\n')));
  await writeFile(join(dir, 'empty.log'), '');
  const gz = gzipSync(Array.from({ length: 3000 }, (_, i) => `${LINES[0]} ${i}`).join('\n'));
  await writeFile(join(dir, 'trunc.log.gz'), gz.subarray(0, gz.length - 40));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('loginsight parse', () => {
  it('writes one dotted ECS object per line, in order, with a counters summary on stderr', async () => {
    const r = await run(['parse', '--year', '2026', 'auth.log'], { cwd: dir });
    expect(r.code).toBe(0);
    const objs = jsonLines(r.out);
    expect(objs.length).toBe(LINES.length);
    expect(objs.map((o) => o['log.line'])).toEqual(LINES.map((_, i) => i + 1));
    expect(objs[0]['user.name']).toBe('alice');
    expect(objs[0]['source.ip']).toBe('10.0.0.5');
    expect(objs[0]['@timestamp']).toBe('2026-03-04T09:15:02.000Z');
    expect(objs[2]['event.action']).toBe('unknown');
    expect(objs[6]['source.ip']).toBe('6.6.6.6');
    expect(r.err).toMatch(/^parse: 9 lines from 1 input/);
    expect(r.err).toContain('unknown 1');
  });

  it('--nested writes nested objects; --timezone shifts year-less times', async () => {
    const r = await run(['parse', '--nested', '--year', '2026', '--timezone', '+02:00', join(dir, 'auth.log')]);
    expect(r.code).toBe(0);
    const first = jsonLines(r.out)[0] as { user: { name: string }; '@timestamp': string };
    expect(first.user.name).toBe('alice');
    expect(first['@timestamp']).toBe('2026-03-04T07:15:02.000Z');
  });

  it('reads stdin, gzip and globs; --json prints machine counters on stderr', async () => {
    const r = await run(['parse', '--json', 'auth.log*'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(jsonLines(r.out).length).toBe(LINES.length + 2);
    const summary = JSON.parse(r.err) as { counters: { lines: number }; inputs: number };
    expect(summary.counters.lines).toBe(LINES.length + 2);
    expect(summary.inputs).toBe(2);
    const s = await run(['parse', '-q', '-'], { stdin: gzipSync(LINES.join('\n')) });
    expect(s.code).toBe(0);
    expect(jsonLines(s.out).length).toBe(LINES.length);
    expect(s.err).toBe('');
  });

  it('--omit-null leaves out null fields (and emptied nested objects)', async () => {
    const r = await run(['parse', '--omit-null', '--nested', '--year', '2026', join(dir, 'auth.log')]);
    expect(r.code).toBe(0);
    const first = jsonLines(r.out)[0] as Record<string, Record<string, unknown>>;
    expect(first.user).toEqual({ name: 'alice' });
    expect(first.auditd).toBeUndefined();
    expect(first.labels).toBeUndefined();
    const d = await run(['events', '--omit-null', '--year', '2026', join(dir, 'auth.log')]);
    const ev = jsonLines(d.out)[0];
    expect(Object.values(ev).includes(null)).toBe(false);
    expect(ev['user.name']).toBeDefined();
  });

  it('an empty file is fine: zero lines, exit 0, counters', async () => {
    const r = await run(['parse', join(dir, 'empty.log')]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toContain('parse: 0 lines');
  });

  it('--out writes atomically; CSV neutralises formula injection from user names', async () => {
    const out = join(dir, 'records.csv');
    const r = await run(['parse', '--format', 'csv', '--out', out, join(dir, 'auth.log')]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    const csv = await readFile(out, 'utf8');
    const rows = csv.trim().split('\n');
    expect(rows[0].split(',')).toContain('user.name');
    expect(rows.length).toBe(LINES.length + 1);
    expect(csv).toContain(`'=cmd|calc`);
    expect(csv).not.toMatch(/(^|,)=cmd/m);
  });

  it('a missing file: one-line error naming it, exit 3, and no output file left', async () => {
    const out = join(dir, 'never.jsonl');
    const r = await run(['parse', '--out', out, join(dir, 'auth.log'), join(dir, 'missing.log')]);
    expect(r.code).toBe(3);
    expect(r.err).toBe(`loginsight parse: ${join(dir, 'missing.log')}: no such file or directory\n`);
    const names = await readdir(dir);
    expect(names.some((n) => n.startsWith('never.jsonl'))).toBe(false);
  });

  it('a truncated .gz: exit 3, one line naming the file, partial output removed', async () => {
    const out = join(dir, 'partial.jsonl');
    const r = await run(['parse', '-o', out, join(dir, 'trunc.log.gz')]);
    expect(r.code).toBe(3);
    expect(r.err.split('\n').filter(Boolean)).toEqual([`loginsight parse: ${join(dir, 'trunc.log.gz')}: unexpected end of gzip data (the .gz file is truncated)`]);
    expect((await readdir(dir)).some((n) => n.startsWith('partial.jsonl'))).toBe(false);
  });

  it('binary garbage: exit 3 with one line naming the file', async () => {
    const bin = join(dir, 'garbage.bin');
    await writeFile(bin, Buffer.concat([Buffer.from('\x7fELF'), Buffer.alloc(4096, 0), Buffer.from('text\n')]));
    const r = await run(['events', bin]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/^loginsight events: .*garbage\.bin: binary data, not a text log \(\d+% of the first \d+ KiB are control bytes or invalid UTF-8\)\n$/);
  });

  it('bad usage: unknown option, bad numbers and bad choices exit 2 with one line naming the option', async () => {
    const u = await run(['parse', '--yeer', '2020', 'x']);
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/^loginsight parse: unknown option --yeer \(did you mean --year\?\); allowed: .*--year/);
    expect(u.err.trim().split('\n').length).toBe(1);
    const y = await run(['parse', '--year', 'soon']);
    expect(y.code).toBe(2);
    expect(y.err).toBe('loginsight parse: --year must be an integer from 1970 to 9999, got "soon"\n');
    const f = await run(['parse', '--format', 'xml']);
    expect(f.err).toBe('loginsight parse: --format must be one of jsonl, csv, got "xml"\n');
    const t = await run(['parse', '--timezone', 'Mars/Olympus']);
    expect(t.code).toBe(2);
    expect(t.err).toContain('--timezone');
    const both = await run(['parse', '--nested', '--dotted']);
    expect(both.code).toBe(2);
    const missing = await run(['parse', '--year']);
    expect(missing.err).toBe('loginsight parse: option --year needs a value\n');
  });

  it('--help prints usage with examples on stdout, exit 0', async () => {
    const r = await run(['parse', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: loginsight parse');
    expect(r.out).toContain('Examples:');
  });
});

describe('loginsight events', () => {
  it('assembles a session and a failed connection; JSON Lines with ECS keys and duration', async () => {
    const r = await run(['events', '--year', '2026', join(dir, 'auth.log')]);
    expect(r.code).toBe(0);
    const events = jsonLines(r.out);
    const session = events.find((e) => e['loginsight.kind'] === 'ssh_session');
    const failed = events.find((e) => e['loginsight.kind'] === 'ssh_failed');
    expect(session?.['user.name']).toBe('alice');
    expect(session?.['process.pid']).toBe(123);
    expect(session?.['@timestamp']).toBe('2026-03-04T09:15:02.000Z');
    expect(session?.['event.duration']).toBe((4 * 60 + 58) * 1e9);
    expect(failed?.['user.name']).toBe('=cmd|calc');
    expect(failed?.['source.ip']).toBe('6.6.6.6');
    expect(r.err).toMatch(/^events: 2 events from 9 lines/);
  });

  it('CSV output is spreadsheet-safe; --json counters add up', async () => {
    const r = await run(['events', '--format', 'csv', '--json', '--order', 'start', '--reorder-window', '5s', join(dir, 'auth.log')]);
    expect(r.code).toBe(0);
    const rows = r.out.trim().split('\n');
    expect(rows[0]).toContain('@timestamp,event.end,host.name');
    expect(rows.length).toBe(3);
    expect(r.out).toContain(`'=cmd|calc`);
    const s = JSON.parse(r.err) as { assemble: { recordsIn: number; recordsInEvents: number; recordsIgnored: number; recordsPending: number } };
    expect(s.assemble.recordsIn).toBe(s.assemble.recordsInEvents + s.assemble.recordsIgnored + s.assemble.recordsPending);
    expect(s.assemble.recordsPending).toBe(0);
  });

  it('rejects bad assembler options with the option name', async () => {
    const a = await run(['events', '--max-open', '0']);
    expect(a.code).toBe(2);
    expect(a.err).toBe('loginsight events: --max-open must be an integer from 1 to 100000000, got "0"\n');
    const b = await run(['events', '--reorder-window', 'soon']);
    expect(b.code).toBe(2);
    expect(b.err).toContain('--reorder-window must be a duration');
    const c = await run(['events', '--order', 'random']);
    expect(c.err).toBe('loginsight events: --order must be one of completion, start, got "random"\n');
  });
});

describe('dispatcher', () => {
  it('unknown command, no command, --version, help', async () => {
    const u = await run(['parsee']);
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/^loginsight: unknown command 'parsee'; commands: parse, events/);
    expect((await run([])).code).toBe(2);
    const v = await run(['--version']);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/^\d+\.\d+\.\d+/);
    const h = await run(['--help']);
    expect(h.out).toContain('Commands:');
    expect((await run(['help', 'events'])).out).toContain('Usage: loginsight events');
  });
});

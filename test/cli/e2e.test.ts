import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BIN = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const built = existsSync(BIN);
if (!built) console.warn(`test/cli/e2e: skipped, ${BIN} is missing (run npm run build first)`);

function cli(args: string[], opts: { stdin?: Buffer | string; cwd?: string; closeStdoutAfter?: number } = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let seen = 0;
    child.stdout.on('data', (c: Buffer) => {
      out.push(c);
      seen += c.length;
      if (opts.closeStdoutAfter !== undefined && seen >= opts.closeStdoutAfter) child.stdout.destroy();
    });
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out: Buffer.concat(out).toString('utf8'), err: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.stdin ?? '');
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'li-e2e-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!built)('built CLI (node dist/cli/bin.js)', () => {
  it('--version and --help', async () => {
    const [v, h] = await Promise.all([cli(['--version']), cli(['events', '-h'])]);
    expect(v.code).toBe(0);
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(v.out.trim()).toBe(pkg.version);
    expect(h.code).toBe(0);
    expect(h.out).toContain('Examples:');
  });

  it('bad usage and bad input give one line and the documented exit code', async () => {
    const gz = gzipSync('Mar  4 09:15:02 h sshd[1]: Accepted password for a from 1.2.3.4 port 5 ssh2\n'.repeat(2000));
    await writeFile(join(dir, 'cut.gz'), gz.subarray(0, gz.length >> 1));
    // independent processes: run them side by side
    const [u, b, m, t] = await Promise.all([
      cli(['parse', '--frobnicate']),
      cli(['simulate', '--out', dir, '--hosts', 'many']),
      cli(['events', join(dir, 'missing.log')]),
      cli(['parse', '-o', join(dir, 'cut.jsonl'), join(dir, 'cut.gz')]),
    ]);
    expect(u.code).toBe(2);
    expect(u.err.trim().split('\n')).toHaveLength(1);
    expect(u.err).toMatch(/^loginsight parse: unknown option --frobnicate/);
    expect(b.code).toBe(2);
    expect(b.err).toBe('loginsight simulate: --hosts must be an integer from 3 to 100000, got "many"\n');
    expect(m.code).toBe(3);
    expect(m.err).toBe(`loginsight events: ${join(dir, 'missing.log')}: no such file or directory\n`);
    expect(t.code).toBe(3);
    expect(t.err).toContain('unexpected end of gzip data');
    expect((await readdir(dir)).filter((n) => n.startsWith('cut.jsonl'))).toEqual([]);
  });

  it('parses stdin and an empty file', async () => {
    await writeFile(join(dir, 'empty.log'), '');
    const [r, e] = await Promise.all([
      cli(['parse', '-'], { stdin: 'Mar  4 09:15:02 h sshd[1]: Invalid user admin from 6.6.6.6 port 22\n' }),
      cli(['parse', '--json', join(dir, 'empty.log')]),
    ]);
    expect(r.code).toBe(0);
    const obj = JSON.parse(r.out) as Record<string, unknown>;
    expect(obj['event.action']).toBe('ssh_invalid_user');
    expect(obj['user.name']).toBe('admin');
    expect(e.code).toBe(0);
    expect(e.out).toBe('');
    expect((JSON.parse(e.err) as { counters: { lines: number } }).counters.lines).toBe(0);
  });

  it('simulate then events: a small organisation end to end, exiting 0 when stdout closes early', async () => {
    const sim = join(dir, 'sim');
    const s = await cli(['simulate', '--out', sim, '--hosts', '4', '--users', '6', '--history-days', '1', '--test-days', '1', '--seed', '3', '--json']);
    expect(s.code).toBe(0);
    const summary = JSON.parse(s.out) as { counts: { lines: { history: number; test: number } } };
    expect((await readdir(sim)).sort()).toEqual(['history.log', 'labels.csv', 'summary.json', 'test.log']);
    const ev = await cli(['events', '--json', '-o', join(dir, 'events.csv'), '--format', 'csv', join(sim, 'test.log')]);
    expect(ev.code).toBe(0);
    const counters = JSON.parse(ev.err) as { parse: { lines: number }; assemble: { eventsOut: number } };
    expect(counters.parse.lines).toBe(summary.counts.lines.test);
    const csv = (await readFile(join(dir, 'events.csv'), 'utf8')).trim().split('\n');
    expect(csv.length - 1).toBe(counters.assemble.eventsOut);
    // a consumer that stops reading (like `| head`) is not an error
    const head = await cli(['parse', join(sim, 'history.log')], { closeStdoutAfter: 1 });
    expect(head.code).toBe(0);
  });

  it('Ctrl-C (SIGINT) removes the partial --out file and exits 130', async () => {
    const out = join(dir, 'interrupted.jsonl');
    const child = spawn(process.execPath, [BIN, 'parse', '-q', '-o', out, '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const err: Buffer[] = [];
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.stdin.on('error', () => undefined);
    const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
    child.stdin.write('Mar  4 09:15:02 h sshd[1]: Invalid user admin from 6.6.6.6 port 22\n'.repeat(10_000));
    const deadline = Date.now() + 20_000;
    while (!(await readdir(dir)).some((n) => n.startsWith('interrupted.jsonl.tmp-')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(Buffer.concat(err).toString()).toContain('interrupted (SIGINT); partial output removed');
    expect((await readdir(dir)).filter((n) => n.startsWith('interrupted.jsonl'))).toEqual([]);
  });
});

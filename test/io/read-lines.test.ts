import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { readLines, readLinesFromStream, newReadCounters } from '../../src/io/read-lines.js';
import { expandGlob, segmentMatcher } from '../../src/io/glob.js';
import { InputError } from '../../src/cli/command.js';

async function collect(it: AsyncIterable<string[]>): Promise<string[]> {
  const out: string[] = [];
  for await (const b of it) out.push(...b);
  return out;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'li-io-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readLines', () => {
  it('reads a plain file, keeping order and a last line without newline', async () => {
    const p = join(dir, 'plain.log');
    await writeFile(p, 'a\nb\n\nc');
    expect(await collect(readLines([p]))).toEqual(['a', 'b', '', 'c']);
  });

  it('does not invent an empty last line after a final newline; an empty file yields nothing', async () => {
    const p = join(dir, 'nl.log');
    await writeFile(p, 'x\ny\n');
    expect(await collect(readLines([p]))).toEqual(['x', 'y']);
    const e = join(dir, 'empty.log');
    await writeFile(e, '');
    const counters = newReadCounters();
    expect(await collect(readLines([e], { counters }))).toEqual([]);
    expect(counters.files).toBe(1);
    expect(counters.lines).toBe(0);
  });

  it('strips CRLF and keeps NUL bytes', async () => {
    const p = join(dir, 'crlf.log');
    await writeFile(p, 'one\r\ntwo\u0000zero\r\nthree\r');
    expect(await collect(readLines([p]))).toEqual(['one', 'two\u0000zero', 'three']);
  });

  it('decodes invalid UTF-8 as U+FFFD and multi-byte sequences split across chunks correctly', async () => {
    const p = join(dir, 'utf8.log');
    const bytes = Buffer.concat([Buffer.from('bad '), Buffer.from([0xff, 0xfe]), Buffer.from(' x\nüser ✓\n')]);
    await writeFile(p, bytes);
    // highWaterMark 1 splits every multi-byte character across chunks
    const lines = await collect(readLines([p], { highWaterMark: 1 }));
    expect(lines).toEqual(['bad \uFFFD\uFFFD x', 'üser ✓']);
  });

  it('reads .gz by magic bytes (whatever the name) and counts it', async () => {
    const p = join(dir, 'auth.log.1.gz');
    const q = join(dir, 'no-extension');
    const text = Array.from({ length: 10_000 }, (_, i) => `line ${i}`).join('\n') + '\n';
    await writeFile(p, gzipSync(text));
    await writeFile(q, gzipSync('hidden gzip\n'));
    const counters = newReadCounters();
    const lines = await collect(readLines([p, q], { counters, batchLines: 1000 }));
    expect(lines.length).toBe(10_001);
    expect(lines[9999]).toBe('line 9999');
    expect(lines[10_000]).toBe('hidden gzip');
    expect(counters.gzipInputs).toBe(2);
    expect(counters.lines).toBe(10_001);
  });

  it('reads concatenated gzip members (as written by `cat a.gz b.gz`)', async () => {
    const p = join(dir, 'multi.gz');
    await writeFile(p, Buffer.concat([gzipSync('a\n'), gzipSync('b\n')]));
    expect(await collect(readLines([p]))).toEqual(['a', 'b']);
  });

  it('throws InputError naming the file for a truncated .gz', async () => {
    const p = join(dir, 'trunc.log.gz');
    const gz = gzipSync(Array.from({ length: 5000 }, (_, i) => `sshd[${i}]: Accepted password`).join('\n'));
    await writeFile(p, gz.subarray(0, Math.floor(gz.length / 2)));
    const err = await collect(readLines([p])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toContain(p);
    expect((err as Error).message).toContain('unexpected end of gzip data');
  });

  it('throws InputError naming a missing file before reading anything', async () => {
    const ok = join(dir, 'plain.log');
    const missing = join(dir, 'nope.log');
    const err = await collect(readLines([ok, missing])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe(`${missing}: no such file or directory`);
  });

  it('throws InputError for a directory and for an unreadable file', async () => {
    const err = await collect(readLines([dir])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toContain('is a directory');
    if (process.getuid?.() !== 0) {
      const p = join(dir, 'secret.log');
      await writeFile(p, 'x\n');
      await chmod(p, 0o000);
      const e2 = await collect(readLines([p])).catch((e: unknown) => e);
      expect((e2 as Error).message).toContain('permission denied');
    }
  });

  it('reads stdin for "-" (also gzip on stdin)', async () => {
    const stdin = Readable.from([Buffer.from('x\ny'), Buffer.from('z\n')]);
    expect(await collect(readLines('-', { stdin }))).toEqual(['x', 'yz']);
    const gz = Readable.from([gzipSync('p\nq\n')]);
    expect(await collect(readLines(['-'], { stdin: gz }))).toEqual(['p', 'q']);
  });

  it('batches by lines and by characters', async () => {
    const p = join(dir, 'batch.log');
    await writeFile(p, Array.from({ length: 100 }, () => 'abcdefghi').join('\n'));
    const sizes: number[] = [];
    for await (const b of readLines([p], { batchLines: 30, highWaterMark: 10 })) sizes.push(b.length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(100);
    expect(Math.max(...sizes)).toBe(30);
    const bySize: number[] = [];
    for await (const b of readLines([p], { batchChars: 100, highWaterMark: 10 })) bySize.push(b.length);
    expect(bySize.every((n) => n <= 10)).toBe(true);
    // one big read chunk holding all 100 lines still gives batches of exactly batchLines
    const big: number[] = [];
    for await (const b of readLines([p], { batchLines: 30 })) big.push(b.length);
    expect(big).toEqual([30, 30, 30, 10]);
  });

  it('cuts over-long lines at maxLineLength and counts them, keeping the following lines', async () => {
    const p = join(dir, 'long.log');
    await writeFile(p, 'x'.repeat(5000) + '\nshort\n' + 'y'.repeat(300));
    const counters = newReadCounters();
    const lines = await collect(readLines([p], { maxLineLength: 100, highWaterMark: 64, counters }));
    expect(lines).toEqual(['x'.repeat(100), 'short', 'y'.repeat(100)]);
    expect(counters.truncatedLines).toBe(2);
  });

  it('rejects a bad option with its name', async () => {
    await expect(collect(readLines([join(dir, 'plain.log')], { batchLines: 0 }))).rejects.toThrow(/batchLines/);
  });

  it('readLinesFromStream reads any async iterable of chunks', async () => {
    async function* gen(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode('α\r\nβ');
    }
    expect(await collect(readLinesFromStream(gen()))).toEqual(['α', 'β']);
  });
});

describe('globs', () => {
  beforeAll(async () => {
    await mkdir(join(dir, 'g', 'a', 'b'), { recursive: true });
    await writeFile(join(dir, 'g', 'auth.log'), '1\n');
    await writeFile(join(dir, 'g', 'auth.log.1'), '2\n');
    await writeFile(join(dir, 'g', 'auth.log.2.gz'), gzipSync('3\n'));
    await writeFile(join(dir, 'g', '.hidden.log'), 'h\n');
    await writeFile(join(dir, 'g', 'a', 'x.log'), 'x\n');
    await writeFile(join(dir, 'g', 'a', 'b', 'y.log'), 'y\n');
  });

  it('matches * and ? within a segment, sorted, without hidden files', async () => {
    const names = (await expandGlob(join(dir, 'g', 'auth.log*'))).map((p) => p.slice(dir.length));
    expect(names).toEqual(['/g/auth.log', '/g/auth.log.1', '/g/auth.log.2.gz']);
    expect((await expandGlob(join(dir, 'g', 'auth.log.?'))).length).toBe(1);
    expect((await expandGlob(join(dir, 'g', '*.log'))).map((p) => p.slice(dir.length))).toEqual(['/g/auth.log']);
  });

  it('matches ** across zero or more directories, relative to cwd', async () => {
    const names = (await expandGlob('g/**/*.log', dir)).map((p) => p.slice(dir.length));
    expect(names).toEqual(['/g/auth.log', '/g/a/x.log', '/g/a/b/y.log']);
  });

  it('reads the files a glob matches, and a glob matching nothing is an InputError', async () => {
    expect(await collect(readLines(['g/auth.log*'], { cwd: dir }))).toEqual(['1', '2', '3']);
    const err = await collect(readLines(['g/*.nothing'], { cwd: dir })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toContain('no files match');
  });

  it('matches [classes], [!negated] and [a-z] ranges; {a,b} braces, nested, in the order given', async () => {
    const rel = (ps: string[]) => ps.map((p) => p.slice(dir.length));
    expect(rel(await expandGlob(join(dir, 'g', 'auth.log.[0-9]*')))).toEqual(['/g/auth.log.1', '/g/auth.log.2.gz']);
    expect(rel(await expandGlob(join(dir, 'g', 'auth.log.[!1]*')))).toEqual(['/g/auth.log.2.gz']);
    expect(rel(await expandGlob('g/auth.log{.2.gz,,.1}', dir))).toEqual(['/g/auth.log.2.gz', '/g/auth.log', '/g/auth.log.1']);
    expect(rel(await expandGlob('g/{a/b/y,a/x}.log', dir))).toEqual(['/g/a/b/y.log', '/g/a/x.log']);
    expect(rel(await expandGlob('g/{auth.log{,.1},nothing}', dir))).toEqual(['/g/auth.log', '/g/auth.log.1']);
    expect(segmentMatcher('x[ab].log')('xb.log')).toBe(true);
    expect(segmentMatcher('x[ab].log')('xc.log')).toBe(false);
    expect(segmentMatcher('x[]a].log')(']')).toBe(false);
    expect(segmentMatcher('x[]a].log')('x].log')).toBe(true);
    expect(segmentMatcher('x[.log')('x[.log')).toBe(true);
    expect(segmentMatcher('x[z-a].log')('xa.log')).toBe(false);
  });

  it('braces: literal {x}, unclosed {, and a bound on the expansion', async () => {
    const { expandBraces, MAX_BRACE_EXPANSION } = await import('../../src/io/glob.js');
    expect(expandBraces('a{x}b')).toEqual(['a{x}b']);
    expect(expandBraces('a{b,c')).toEqual(['a{b,c']);
    expect(expandBraces('{a,b}{c,d}')).toEqual(['ac', 'ad', 'bc', 'bd']);
    expect(() => expandBraces('{0,1}'.repeat(11))).toThrow(InputError);
    expect(2 ** 10).toBeLessThanOrEqual(MAX_BRACE_EXPANSION);
    expect(expandBraces('{0,1}'.repeat(10))).toHaveLength(1024);
  });

  it('a file whose name has glob characters is read as it is', async () => {
    await writeFile(join(dir, 'g', 'odd[1].log'), 'odd\n');
    expect(await collect(readLines(['g/odd[1].log'], { cwd: dir }))).toEqual(['odd']);
  });

  it('segment patterns treat regex characters literally', () => {
    expect(segmentMatcher('a+b(1).log')('a+b(1).log')).toBe(true);
    expect(segmentMatcher('a+b(1).log')('aab1xlog')).toBe(false);
    expect(segmentMatcher('*.log')('.x.log')).toBe(false);
    expect(segmentMatcher('.*')('.x')).toBe(true);
  });
});

describe('readJsonLines', () => {
  it('yields objects, skips blank lines, and names file:line of a bad line', async () => {
    const { readJsonLines } = await import('../../src/io/json-lines.js');
    const p = join(dir, 'x.jsonl');
    await writeFile(p, '{"a":1}\n\n{"a":2}\n[1]\n{"a":');
    const stats = { objects: 0, skipped: 0 };
    const got: unknown[] = [];
    for await (const b of readJsonLines([p], { lenient: true, stats })) got.push(...b);
    expect(got).toEqual([{ a: 1 }, { a: 2 }]);
    expect(stats).toEqual({ objects: 2, skipped: 2 });
    const err = await (async () => {
      for await (const b of readJsonLines([p])) void b;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe(`${p}:4: not a JSON object`);
  });
});

describe('binary input', () => {
  function pseudoRandom(n: number, seed = 7): Buffer {
    const b = Buffer.alloc(n);
    let x = seed;
    for (let i = 0; i < n; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      b[i] = x >>> 24;
    }
    return b;
  }

  it('rejects random bytes and NUL-heavy binaries with an InputError naming the file', async () => {
    const p = join(dir, 'random.bin');
    await writeFile(p, pseudoRandom(200_000));
    const err = await collect(readLines([p])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: binary data, not a text log`));
    const q = join(dir, 'elf.bin');
    await writeFile(q, Buffer.concat([Buffer.from('\x7fELF'), Buffer.alloc(5000), Buffer.from('some text\n'.repeat(50))]));
    await expect(collect(readLines([q]))).rejects.toThrow(/binary data/);
    // also inside a .gz
    const g = join(dir, 'random.gz');
    await writeFile(g, gzipSync(pseudoRandom(100_000)));
    await expect(collect(readLines([g]))).rejects.toThrow(/random\.gz: binary data/);
  });

  it('accepts a real log with a few NUL bytes and bad bytes, and binaryCheck:false reads anything', async () => {
    const p = join(dir, 'mostly-text.log');
    const line = 'Mar  4 09:15:02 web-03 sshd[123]: Failed password for root from 1.2.3.4 port 22 ssh2\n';
    await writeFile(p, Buffer.concat([Buffer.from(line.repeat(100)), Buffer.from([0, 0, 0xff, 0xfe, 10]), Buffer.from(line.repeat(100))]));
    expect((await collect(readLines([p]))).length).toBe(201);
    const r = join(dir, 'random2.bin');
    await writeFile(r, pseudoRandom(10_000, 3));
    expect((await collect(readLines([r], { binaryCheck: false }))).length).toBeGreaterThan(0);
  });
});

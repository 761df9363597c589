import { describe, it, expect } from 'vitest';
import { GrammarRegistry, LineParser, defaultRegistry, parseLine, parseLines, RECORD_ACTIONS } from '../../src/grammar/index.js';
import type { LogRecord } from '../../src/grammar/index.js';

const L = [
  'Mar  4 09:15:02 h sshd[1]: Accepted password for a from 1.2.3.4 port 5 ssh2\r\n',
  'Mar  4 09:15:03 h sshd[1]: Failed password for b from 1.2.3.4 port 5 ssh2\r',
  'not a log line',
  'Mar  4 09:15:04 h foo[2]: bar',
];

describe('LineParser', () => {
  it('numbers lines, strips CR/LF, counts (lines = parsed + unknown)', () => {
    const parser = new LineParser({ year: 2026 });
    const rs = parser.parseBatch(L);
    expect(rs.map((r) => r.line)).toEqual([1, 2, 3, 4]);
    expect(rs[0].sourcePort).toBe(5);
    expect(rs[1].message.endsWith('ssh2')).toBe(true);
    const c = parser.counters;
    expect(c).toMatchObject({ lines: 4, parsed: 2, unknown: 2, malformed: 1 });
    expect({ ...c.malformedByReason }).toEqual({ 'no-envelope': 1 });
    expect({ ...c.byAction }).toEqual({ ssh_login: 1, ssh_auth_failed: 1, unknown: 2 });
    expect({ ...c.byEnvelope }).toEqual({ rfc3164: 3, none: 1 });
    expect(parser.parse('Mar  4 09:15:05 h sshd[1]: x').line).toBe(5);
  });

  it('handles NUL bytes, U+FFFD and non-string input without throwing', () => {
    const r = parseLine('Mar  4 09:15:02 h sshd[1]: Invalid user a\u0000b\uFFFD from 1.2.3.4 port 22', { year: 2026 });
    expect(r).toMatchObject({ userName: 'a\u0000b\uFFFD', sourceIp: '1.2.3.4' });
    expect(parseLine('\uFEFFMar  4 09:15:02 h sshd[1]: Server listening on :: port 22.', { year: 2026 })).toMatchObject({ envelope: 'rfc3164', action: 'ssh_server_start' });
    const parser = new LineParser();
    expect(parser.parse(undefined as unknown as string)).toMatchObject({ message: '', malformed: 'empty-line' });
  });

  it('forced envelope', () => {
    const parser = new LineParser({ envelope: 'iso8601' });
    expect(parser.parse('Mar  4 09:15:02 h sshd[1]: x')).toMatchObject({ envelope: null, malformed: 'no-envelope' });
    expect(parser.parse('2026-03-04T09:15:02Z h sshd[1]: x')).toMatchObject({ envelope: 'iso8601' });
  });

  it('every built-in action is in RECORD_ACTIONS', () => {
    const parser = new LineParser({ year: 2026 });
    const acts = new Set<string>(RECORD_ACTIONS);
    for (const line of L) parser.parse(line);
    for (const a of Object.keys(parser.counters.byAction)) expect(acts.has(a)).toBe(true);
  });
});

describe('parseLines', () => {
  it('batch in, batch out, one record per line, order kept; sync and async sources', async () => {
    const out: LogRecord[][] = [];
    for await (const b of parseLines([[L[0], L[1]], L[2], L[3], [L[0]]], { year: 2026 })) out.push(b);
    expect(out.map((b) => b.length)).toEqual([2, 2, 1]);
    expect(out.flat().map((r) => r.line)).toEqual([1, 2, 3, 4, 5]);
    async function* gen(): AsyncIterable<string[]> {
      yield L.slice(0, 2);
      yield L.slice(2);
    }
    const flat: LogRecord[] = [];
    for await (const b of parseLines(gen())) flat.push(...b);
    async function* single(): AsyncIterable<string> {
      yield L[0];
      yield L[1];
    }
    const sizes: number[] = [];
    for await (const b of parseLines(single())) sizes.push(b.length);
    expect(sizes).toEqual([1, 1]);
    expect(flat.map((r) => r.action)).toEqual(['ssh_login', 'ssh_auth_failed', 'unknown', 'unknown']);
  });
});

describe('GrammarRegistry', () => {
  it('user grammars take precedence; defaultRegistry is fresh each call', () => {
    const reg = defaultRegistry().registerMessageGrammar({
      name: 'override',
      programs: ['sshd'],
      parse(m, r) {
        if (!m.startsWith('Accepted ')) return false;
        r.action = 'custom_accept';
        return true;
      },
    });
    expect(new LineParser({ registry: reg }).parse(L[0]).action).toBe('custom_accept');
    expect(new LineParser({ registry: reg }).parse(L[1]).action).toBe('ssh_auth_failed');
    expect(new LineParser({ registry: defaultRegistry() }).parse(L[0]).action).toBe('ssh_login');
    expect(() => defaultRegistry().registerEnvelope({ name: 'rfc3164', parse: () => false })).toThrow(/already registered/);
    expect(() => new LineParser({ registry: {} as GrammarRegistry })).toThrow(/registry/);
  });
  it('a throwing user grammar or envelope is counted, not thrown', () => {
    const reg = defaultRegistry()
      .registerMessageGrammar({ name: 'bad', programs: ['foo'], parse: () => { throw new Error('boom'); } })
      .registerEnvelope({ name: 'bad-env', firstChars: '#', parse: () => { throw new Error('boom'); } });
    const parser = new LineParser({ registry: reg, year: 2026 });
    expect(parser.parse(L[3])).toMatchObject({ action: 'unknown', malformed: 'grammar-error' });
    expect(parser.parse('# hello')).toMatchObject({ envelope: null, malformed: 'envelope-error' });
    expect(parser.counters.malformedByReason['grammar-error']).toBe(1);
  });
});

describe('parseStream', () => {
  it('splits byte chunks into lines, decodes UTF-8 across chunk boundaries, handles CRLF and a missing final newline', async () => {
    const { parseStream } = await import('../../src/grammar/index.js');
    const text = 'Mar  4 09:15:02 h sshd[1]: Invalid user j\u00fcrgen from 1.2.3.4 port 22\r\nMar  4 09:15:03 h sshd[1]: Failed password for root from 1.2.3.4 port 22 ssh2\n\xffjunk';
    const bytes = Buffer.concat([Buffer.from(text.slice(0, -5), 'utf8'), Buffer.from([0xff]), Buffer.from('junk')]);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7));
    const parser = new LineParser({ year: 2026 });
    const out: LogRecord[] = [];
    for await (const b of parseStream(chunks, { batchSize: 2 }, parser)) out.push(...b);
    expect(out.map((r) => r.action)).toEqual(['ssh_invalid_user', 'ssh_auth_failed', 'unknown']);
    expect(out[0].userName).toBe('j\u00fcrgen');
    expect(out[2].message).toBe('\uFFFDjunk');
    expect(parser.counters.lines).toBe(3);
  });
  it('parseLines accepts a LineParser to expose counters', async () => {
    const parser = new LineParser({ year: 2026 });
    for await (const b of parseLines([L], parser)) expect(b.length).toBe(4);
    expect(parser.counters.lines).toBe(4);
  });
});

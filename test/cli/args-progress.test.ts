import { describe, it, expect } from 'vitest';
import { choiceOption, durationOption, numberOption, parseCommandArgs } from '../../src/cli/args.js';
import { UsageError } from '../../src/cli/command.js';
import { createProgress, formatProgress } from '../../src/cli/progress.js';
import { exitCodeFor, oneLine } from '../../src/cli/main.js';
import { fakeIo } from './helpers.js';

function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseCommandArgs', () => {
  const specs = { out: { type: 'string' as const, short: 'o' }, 'max-open': { type: 'string' as const } };
  it('parses options, flags and positionals', () => {
    const r = parseCommandArgs(['-o', 'x', '--json', 'a', 'b', '--max-open=3'], specs, true);
    expect(r.values.out).toBe('x');
    expect(r.values.json).toBe(true);
    expect(r.values['max-open']).toBe('3');
    expect(r.positionals).toEqual(['a', 'b']);
  });
  it('names unknown options, suggests close ones and lists allowed ones', () => {
    expect(usage(() => parseCommandArgs(['--max-opn', '1'], specs, true))).toBe(
      'unknown option --max-opn (did you mean --max-open?); allowed: --help, --quiet, --json, --out, --max-open',
    );
    expect(usage(() => parseCommandArgs(['-z'], specs, true))).toMatch(/^unknown option -z; allowed/);
  });
  it('reports missing values, values on flags and unexpected positionals', () => {
    expect(usage(() => parseCommandArgs(['--out'], specs, true))).toBe('option --out needs a value');
    expect(usage(() => parseCommandArgs(['--json=yes'], specs, true))).toBe('option --json is a flag and takes no value');
    expect(usage(() => parseCommandArgs(['file'], specs, false))).toMatch(/^unexpected argument 'file'/);
  });
});

describe('value validators', () => {
  it('numbers with ranges', () => {
    expect(numberOption({ n: '1_000' }, 'n', { integer: true, min: 1 })).toBe(1000);
    expect(numberOption({}, 'n', { integer: true }, 7)).toBe(7);
    expect(usage(() => numberOption({ n: '1.5' }, 'n', { integer: true, min: 1, max: 9 }))).toBe('--n must be an integer from 1 to 9, got "1.5"');
    expect(usage(() => numberOption({ n: '' }, 'n', { min: 0 }))).toBe('--n must be a number >= 0, got ""');
    expect(usage(() => numberOption({ n: 'Infinity' }, 'n', {}))).toContain('--n must be a number');
  });
  it('durations with units, bare numbers in seconds', () => {
    expect(durationOption({ d: '500ms' }, 'd')).toBe(500);
    expect(durationOption({ d: '30' }, 'd')).toBe(30_000);
    expect(durationOption({ d: '2h' }, 'd')).toBe(7_200_000);
    expect(durationOption({ d: '1.5d' }, 'd')).toBe(129_600_000);
    expect(usage(() => durationOption({ d: '-1s' }, 'd'))).toContain('--d must be a duration');
    expect(usage(() => durationOption({ d: '1 week' }, 'd'))).toContain('got "1 week"');
  });
  it('choices', () => {
    expect(choiceOption({ f: 'csv' }, 'f', ['jsonl', 'csv'] as const, 'jsonl')).toBe('csv');
    expect(choiceOption({}, 'f', ['jsonl', 'csv'] as const, 'jsonl')).toBe('jsonl');
    expect(usage(() => choiceOption({ f: 'xml' }, 'f', ['jsonl', 'csv'] as const))).toBe('--f must be one of jsonl, csv, got "xml"');
  });
});

describe('progress', () => {
  it('draws nothing when stderr is not a TTY or with --quiet', () => {
    const io = fakeIo();
    const p = createProgress(io, false, 0);
    p.update({ label: 'parsing', done: 10, unit: 'lines', fraction: 0.5 });
    p.clear();
    expect(p.enabled).toBe(false);
    expect(io.err()).toBe('');
    const q = createProgress(fakeIo('', process.cwd(), true), true, 0);
    expect(q.enabled).toBe(false);
  });
  it('draws a throttled line on a TTY and clears it', async () => {
    const io = fakeIo('', process.cwd(), true);
    const p = createProgress(io, false, 0);
    p.update({ label: 'parsing', done: 12_345, unit: 'lines', fraction: 0.25, detail: 'auth.log' });
    p.clear();
    await new Promise((r) => setImmediate(r));
    expect(io.err()).toContain('parsing [#####...............]  25% 12.3k lines');
    expect(io.err().endsWith('\r\x1b[2K')).toBe(true);
  });
  it('formats without a fraction and fits the width', () => {
    const line = formatProgress({ label: 'reading', done: 2_500_000, unit: 'lines', fraction: null, detail: 'x'.repeat(200) }, 1000, 60);
    expect(line.startsWith('reading 2.50M lines (2.50M/s)')).toBe(true);
    expect(line.length).toBeLessThanOrEqual(60);
  });
});

describe('error mapping', () => {
  it('maps error names to exit codes and keeps messages on one line', () => {
    expect(exitCodeFor(new UsageError('x'))).toBe(2);
    expect(exitCodeFor(Object.assign(new Error('x'), { name: 'InputError' }))).toBe(3);
    expect(exitCodeFor(Object.assign(new Error('x'), { name: 'ModelError' }))).toBe(4);
    expect(exitCodeFor(new TypeError('x'))).toBe(70);
    expect(exitCodeFor('str')).toBe(70);
    expect(oneLine('first\nsecond')).toBe('first');
    expect(oneLine('bell\u0007\u001b[31m')).toBe('bell\\x07\\x1b[31m');
  });
  it('an internal error prints one line with a hint to report it, exit 70', async () => {
    const { runCli } = await import('../../src/cli/main.js');
    const io = fakeIo();
    const boom = { name: 'boom', summary: 's', help: 'h', run: () => Promise.reject(new TypeError('x is undefined')) };
    const code = await runCli(['boom'], io, [boom]);
    await new Promise((r) => setImmediate(r));
    expect(code).toBe(70);
    expect(io.err()).toMatch(/^loginsight boom: internal error: x is undefined \(this is a bug: please report it/);
    expect(io.err().trim().split('\n')).toHaveLength(1);
    const model = { ...boom, run: () => Promise.reject(Object.assign(new Error('model dir from version 9'), { name: 'ModelError' })) };
    const io2 = fakeIo();
    expect(await runCli(['boom', 'x'], io2, [model])).toBe(4);
    await new Promise((r) => setImmediate(r));
    expect(io2.err()).toBe('loginsight boom: model dir from version 9\n');
  });
});

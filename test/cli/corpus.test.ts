import { describe, it, expect } from 'vitest';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { run } from './helpers.js';

const AUTH_LOG = fileURLToPath(
  new URL('../../../shared/corpora/elastic-examples/Machine Learning/Security Analytics Recipes/suspicious_login_activity/data/auth.log', import.meta.url),
);
const present = existsSync(AUTH_LOG);
if (!present) console.warn(`test/cli/corpus: skipped, ${AUTH_LOG} is absent (../shared/corpora not mounted)`);

describe.skipIf(!present)('CLI on the real elastic-examples auth.log (one Ubuntu host, ~24 days)', () => {
  it('parse: one object per line, in order', async () => {
    const r = await run(['parse', '--json', '--year', '2017', AUTH_LOG]);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n').filter(Boolean);
    const summary = JSON.parse(r.err) as { counters: { lines: number; parsed: number; unknown: number; malformed: number } };
    expect(lines.length).toBe(summary.counters.lines);
    expect(lines.length).toBeGreaterThan(7000);
    const numbers = lines.map((l) => (JSON.parse(l) as { 'log.line': number })['log.line']);
    expect(numbers.every((n, i) => n === i + 1)).toBe(true);
    expect(summary.counters.unknown / summary.counters.lines).toBeLessThan(0.01);
  });

  it('events: counters add up and the brute-force source shows up as failed connections', async () => {
    const r = await run(['events', '--json', '--year', '2017', AUTH_LOG]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.err) as { parse: { lines: number }; assemble: { recordsIn: number; recordsInEvents: number; recordsIgnored: number; recordsPending: number; eventsOut: number } };
    expect(s.assemble.recordsIn).toBe(s.parse.lines);
    expect(s.assemble.recordsInEvents + s.assemble.recordsIgnored).toBe(s.assemble.recordsIn);
    expect(s.assemble.recordsPending).toBe(0);
    const events = r.out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.length).toBe(s.assemble.eventsOut);
    const burst = events.filter((e) => e['source.ip'] === '24.151.103.17');
    expect(burst.filter((e) => e['loginsight.kind'] === 'ssh_failed').length).toBeGreaterThan(50);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scoreStream, train } from '../../src/pipeline/index.js';
import type { ScoredEvent } from '../../src/score/index.js';

// A real end-to-end smoke test of detection on a real log: elastic/examples' suspicious_login_activity auth.log
// (one Ubuntu host, 24 days, sshd + PAM + logind + sudo + su) with one brute-force burst from 24.151.103.17 on
// Mar 30. Train on the first three days (Mar 27-29), score the rest, as a user with a history period would.
const LOG = fileURLToPath(
  new URL(
    '../../../shared/corpora/elastic-examples/Machine Learning/Security Analytics Recipes/suspicious_login_activity/data/auth.log',
    import.meta.url,
  ),
);
const present = existsSync(LOG);
if (!present) console.warn(`test/pipeline/real-log: skipped, ${LOG} is absent (../shared/corpora not mounted)`);

describe.skipIf(!present)('detection on a real auth.log (elastic/examples)', () => {
  it('trained on Mar 27-29, ranks the Mar 30 brute force from 24.151.103.17 high and explains it with real counts', async () => {
    const lines = readFileSync(LOG, 'utf8').split('\n');
    const history = lines.filter((l) => /^Mar 2[789] /.test(l));
    const rest = lines.filter((l) => l !== '' && !/^Mar 2[789] /.test(l));
    const { trained } = await train({ input: { lines: history }, parse: { year: 2017 }, epochs: 10, seed: 1, backend: 'cpu' });
    const scored: ScoredEvent[] = [];
    for await (const batch of scoreStream({ input: { lines: rest }, trained, explain: 'all' })) scored.push(...batch);
    trained.model.dispose?.();

    const ranked = [...scored].sort((a, b) => b.score - a.score);
    const ranks = ranked.flatMap((s, i) => (s.event.sourceIp === '24.151.103.17' ? [i] : []));
    const burst = ranked.filter((s) => s.event.sourceIp === '24.151.103.17');
    const flagged = burst.filter((s) => s.isAnomaly);
    const medianRank = ranks[Math.floor(ranks.length / 2)] / ranked.length;
    console.log(
      `real auth.log: ${ranked.length} events; burst ${burst.length} events, best rank ${ranks[0]}, median rank ` +
        `${(medianRank * 100).toFixed(1)}%, ${flagged.length} flagged; ${ranked.filter((s) => s.isAnomaly).length} flagged overall`,
    );
    // Measured 2026-11-29 (cpu, 10 epochs, seed 1): 562 events; the burst's 172 events rank 47..~220 (best 8.4%,
    // median ~24%) with surprise ~1.1, below the 1% per-kind threshold (2.0): the three history days already hold a
    // 58-failure burst from 91.197.232.109, so failed attempts in bulk are part of "normal" for this host, and the
    // top ranks go to root brute force (6 failures per connection) and to unusual ubuntu sessions.
    expect(burst.length).toBeGreaterThan(100);
    expect(ranks[0] / ranked.length).toBeLessThan(0.2);
    expect(medianRank).toBeLessThan(0.4);
    // The reasons quote real failure counts (raw values), not the clipped, scaled ones.
    const counts = burst
      .slice(0, 20)
      .flatMap((s) => s.reasons)
      .map((r) => /^(\d+) failures from 24\.151\.103\.17 in the last 10 minutes$/.exec(r))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]));
    expect(counts.length).toBeGreaterThan(0);
    expect(Math.max(...counts)).toBeGreaterThan(10);
  });
});

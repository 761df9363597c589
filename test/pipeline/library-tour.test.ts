import { describe, expect, it } from 'vitest';
import { tour } from '../../examples/library-tour.js';
import { simulate } from '../../src/simulate/index.js';
import { SMALL_SIM, simYear } from './helpers.js';

describe('examples/library-tour.ts', () => {
  it('wires the five modules by hand and ranks the injected attacks above normal logins', async () => {
    const sim = simulate(SMALL_SIM);
    const history = [...sim.history()].flat();
    const test = [...sim.test()].flat();
    const scored = await tour(history, test, simYear(SMALL_SIM));
    expect(scored.length).toBeGreaterThan(100);
    for (let i = 1; i < scored.length; i++) expect(scored[i - 1].score).toBeGreaterThanOrEqual(scored[i].score);
    const flagged = scored.filter((s) => s.isAnomaly);
    expect(flagged.length).toBeGreaterThan(0);
    expect(flagged[0].reasons.length).toBeGreaterThan(0);
    // attacker activity (simulated attacks come from outside or move laterally) dominates the top
    const attackUsersOrSources = new Set<string>();
    for (const l of sim.labels()) if (l.label === 1) {
      if (l.source) attackUsersOrSources.add(l.source);
    }
    const top = scored.slice(0, 20).filter((s) => s.event.sourceIp !== null && attackUsersOrSources.has(s.event.sourceIp));
    expect(top.length).toBeGreaterThan(5);
  });
});

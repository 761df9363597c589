import { describe, expect, it } from 'vitest';
import { groupIncidents, rankEntities, type ScoredEvent } from '../../src/score/index.js';
import type { LoginEvent } from '../../src/assemble/event.js';
import { ev } from './helpers.js';

const T0 = Date.UTC(2026, 10, 28, 9, 0);
const MIN = 60_000;

function scored(event: LoginEvent, normalized = 0.999, isAnomaly = true, reasons: string[] = []): ScoredEvent {
  return { event, score: normalized * 10, normalized, isAnomaly, reasons };
}

/** alice hops bastion-01 → app-02 → db-03 → db-04 → backup-05, each hop from the previous host's address. */
function lateralChain(): ScoredEvent[] {
  const hosts = ['bastion-01', 'app-02', 'db-03', 'db-04', 'backup-05'];
  const ips = ['10.1.2.3', '10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'];
  return hosts.map((h, i) =>
    scored(ev({ timestamp: T0 + i * 6 * MIN, userName: 'alice', hostName: h, sourceIp: ips[i], outcome: 'success', pid: 100 + i }), 0.99 + i * 0.001),
  );
}

/** 203.0.113.9 tries 39 accounts, failing, then carol succeeds on bastion-01; over 12 minutes on 3 hosts. */
function spray(start: number): ScoredEvent[] {
  const out: ScoredEvent[] = [];
  const hosts = ['bastion-01', 'web-01', 'web-02'];
  for (let i = 0; i < 39; i++) {
    out.push(
      scored(
        ev({ timestamp: start + Math.round((i * 12 * MIN) / 39), userName: `user${i}`, hostName: hosts[i % 3], sourceIp: '203.0.113.9', outcome: 'failure', failures: 1, invalidUser: true }, 'ssh_failed'),
        0.995,
      ),
    );
  }
  out.push(scored(ev({ timestamp: start + 12 * MIN, userName: 'carol', hostName: 'bastion-01', sourceIp: '203.0.113.9', outcome: 'success' }), 1));
  return out;
}

function normalNoise(): ScoredEvent[] {
  // not anomalous: must be ignored even though they share users/sources with the attacks
  return [
    scored(ev({ timestamp: T0 + 3 * MIN, userName: 'alice', hostName: 'web-09', sourceIp: '10.1.2.3', outcome: 'success' }), 0.4, false),
    scored(ev({ timestamp: T0 + 200 * MIN, userName: 'user1', hostName: 'web-01', sourceIp: '203.0.113.9', outcome: 'success' }), 0.3, false),
  ];
}

describe('groupIncidents', () => {
  it('groups a lateral-movement chain and a spray into one incident each, with summaries', () => {
    // shuffle the input order: grouping must sort by time itself
    const input = [...spray(T0 + 180 * MIN), ...normalNoise(), ...lateralChain().reverse()];
    const incidents = groupIncidents(input, { windowMs: 30 * MIN });
    expect(incidents).toHaveLength(2);
    const lateral = incidents.find((i) => i.kind === 'lateral_movement');
    const sprayInc = incidents.find((i) => i.kind === 'spray');
    expect(lateral).toBeDefined();
    expect(sprayInc).toBeDefined();
    expect(lateral!.eventCount).toBe(5);
    expect(lateral!.users).toEqual(['alice']);
    expect(lateral!.hosts).toHaveLength(5);
    expect(lateral!.start).toBe(T0);
    expect(lateral!.end).toBe(T0 + 24 * MIN);
    expect(lateral!.summary).toBe(
      'alice logged into 5 hosts in 24 minutes starting from 10.1.2.3 (bastion-01 → app-02 → db-03 → db-04 → backup-05)',
    );
    expect(sprayInc!.eventCount).toBe(40);
    expect(sprayInc!.users).toHaveLength(40);
    expect(sprayInc!.sources).toEqual(['203.0.113.9']);
    expect(sprayInc!.successes).toEqual([{ user: 'carol', host: 'bastion-01', source: '203.0.113.9', timestamp: T0 + 192 * MIN }]);
    expect(sprayInc!.summary).toBe('203.0.113.9 tried 40 accounts on 3 hosts in 12 minutes; 1 succeeded (carol on bastion-01)');
    expect(sprayInc!.maxScore).toBe(1);
    // most severe first, ids deterministic and distinct
    expect(incidents[0]).toBe(sprayInc);
    expect(sprayInc!.id).toMatch(/^inc-[0-9a-f]{8}$/);
    expect(groupIncidents(input, { windowMs: 30 * MIN }).map((i) => i.id)).toEqual(incidents.map((i) => i.id));
    expect(lateral!.id).not.toBe(sprayInc!.id);
  });

  it('splits links that are farther apart than the window', () => {
    const chain = lateralChain();
    expect(groupIncidents(chain, { windowMs: 5 * MIN }).map((i) => i.kind)).toEqual(Array(5).fill('single_event'));
    expect(groupIncidents(chain, { windowMs: 6 * MIN })).toHaveLength(1);
    // linking by source only: each hop has a different source, so nothing joins
    expect(groupIncidents(chain, { linkBy: ['source'] })).toHaveLength(5);
    expect(groupIncidents(chain, { minEvents: 2, windowMs: 5 * MIN })).toHaveLength(0);
  });

  it('recognises brute force and summarises single events with their first reason', () => {
    const brute = Array.from({ length: 5 }, (_, i) =>
      scored(ev({ timestamp: T0 + i * MIN, userName: 'root', hostName: 'db-07', sourceIp: '198.51.100.7', outcome: 'failure', failures: 6 }, 'ssh_failed')),
    );
    const single = scored(
      ev({ timestamp: Date.UTC(2026, 10, 29, 3, 12), userName: 'alice', hostName: 'db-07', sourceIp: '203.0.113.5', outcome: 'success' }),
      0.9999,
      true,
      ['first login of alice to db-07'],
    );
    const incidents = groupIncidents([...brute, single]);
    const b = incidents.find((i) => i.kind === 'brute_force');
    expect(b?.summary).toBe('198.51.100.7 made 30 failed attempts against root on db-07 in 4 minutes; none succeeded');
    const s = incidents.find((i) => i.kind === 'single_event');
    expect(s?.summary).toBe('alice logged into db-07 from 203.0.113.5 at 2026-11-29 03:12 UTC: first login of alice to db-07');
  });

  it('userLinks "success" keeps unrelated scanners of the same account apart', () => {
    const a = scored(ev({ timestamp: T0, userName: 'root', hostName: 'h1', sourceIp: '198.51.100.1', outcome: 'failure' }, 'ssh_failed'));
    const b = scored(ev({ timestamp: T0 + MIN, userName: 'root', hostName: 'h1', sourceIp: '198.51.100.2', outcome: 'failure' }, 'ssh_failed'));
    expect(groupIncidents([a, b])).toHaveLength(1);
    expect(groupIncidents([a, b], { userLinks: 'success' })).toHaveLength(2);
  });

  it('sanitises attacker-chosen names in summaries', () => {
    const evil = scored(ev({ timestamp: T0, userName: 'x\nERROR fake\u001b[2J', hostName: 'h', sourceIp: '198.51.100.1', outcome: 'failure' }, 'ssh_failed'));
    const [inc] = groupIncidents([evil]);
    expect(inc.summary).not.toMatch(/[\n\u001b]/);
    expect(inc.summary).toContain('x?ERROR fake?[2J');
  });

  it('validates options', () => {
    expect(() => groupIncidents([], { windowMs: -1 })).toThrow(/"windowMs"/);
    expect(() => groupIncidents([], { minEvents: 0 })).toThrow(/"minEvents"/);
    expect(() => groupIncidents([], { linkBy: ['host' as never] })).toThrow(/"linkBy"/);
    expect(() => groupIncidents([], { userLinks: 'x' as never })).toThrow(/"userLinks"/);
  });
});

describe('rankEntities', () => {
  const data = [...spray(T0), ...lateralChain(), ...normalNoise()];
  it('ranks sources, users and hosts by anomalous events', () => {
    const sources = rankEntities(data, 'source', 3);
    expect(sources[0].entity).toBe('203.0.113.9');
    expect(sources[0].anomalies).toBe(40);
    expect(sources[0].maxNormalized).toBe(1);
    expect(sources[0].sumNormalized).toBeCloseTo(39 * 0.995 + 1, 6);
    expect(sources).toHaveLength(3);
    const users = rankEntities(data, 'user', 1);
    expect(users[0].entity).toBe('alice');
    expect(users[0].anomalies).toBe(5);
    const hosts = rankEntities(data, 'host', Infinity);
    expect(hosts[0].entity).toBe('bastion-01');
    expect(hosts[0].anomalies).toBe(13 + 1 + 1);
    expect(hosts.some((h) => h.entity === 'web-09')).toBe(false);
  });

  it('counts all events with onlyAnomalous: false', () => {
    const users = rankEntities(data, 'user', Infinity, { onlyAnomalous: false });
    const alice = users.find((u) => u.entity === 'alice')!;
    expect(alice.events).toBe(6);
    expect(alice.anomalies).toBe(5);
    const web09 = rankEntities(data, 'host', Infinity, { onlyAnomalous: false }).find((h) => h.entity === 'web-09')!;
    expect(web09.anomalies).toBe(0);
    expect(web09.firstAnomaly).toBeNull();
  });

  it('validates arguments', () => {
    expect(() => rankEntities(data, 'pid' as never)).toThrow(/"by"/);
    expect(() => rankEntities(data, 'user', 0)).toThrow(/"k"/);
  });
});

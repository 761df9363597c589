import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { emptyRecord, type LogRecord } from '../../src/grammar/record.js';
import { emptyEvent, type LoginEvent } from '../../src/assemble/event.js';
import { compileEcsJson, eventToEcs, eventToEcsJson, recordToEcs, recordToEcsJson, toEcs } from '../../src/io/ecs.js';

const str = fc.oneof(fc.constant(null), fc.string(), fc.string({ unit: 'binary' }));
const num = fc.oneof(fc.constant(null), fc.integer(), fc.double(), fc.constant(Number.NaN));
const time = fc.oneof(fc.constant(null), fc.integer({ min: -1e13, max: 1e13 }), fc.constant(Number.POSITIVE_INFINITY), fc.constant(8.64e15 + 1));

const recordArb = fc.record({ message: fc.string({ unit: 'binary' }), userName: str, sourceIp: str, processPid: num, timestamp: time, invalidUser: fc.boolean(), labels: fc.oneof(fc.constant(null), fc.dictionary(fc.string(), fc.string())) }).map((p) => {
  const r: LogRecord = emptyRecord(1, p.message);
  r.userName = p.userName;
  r.sourceIp = p.sourceIp;
  r.processPid = p.processPid;
  r.timestamp = p.timestamp;
  r.invalidUser = p.invalidUser;
  r.labels = p.labels;
  return r;
});

const eventArb = fc.record({ timestamp: fc.integer({ min: 0, max: 4e12 }), end: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 4e12 })), user: str, pid: num, failures: fc.nat() }).map((p) => {
  const e: LoginEvent = emptyEvent('ssh_failed', p.timestamp);
  e.end = p.end;
  e.userName = p.user;
  e.pid = p.pid;
  e.failures = p.failures;
  return e;
});

describe('compiled ECS JSON serialisers', () => {
  it('records: identical text to JSON.stringify(recordToEcs(...)) in both styles', () => {
    fc.assert(
      fc.property(recordArb, (r) => {
        expect(recordToEcsJson(r, 'dotted')).toBe(JSON.stringify(recordToEcs(r, 'dotted')));
        expect(recordToEcsJson(r, 'nested')).toBe(JSON.stringify(recordToEcs(r, 'nested')));
        expect(recordToEcsJson(r, 'dotted', true)).toBe(JSON.stringify(recordToEcs(r, 'dotted', { omitNull: true })));
        expect(recordToEcsJson(r, 'nested', true)).toBe(JSON.stringify(recordToEcs(r, 'nested', { omitNull: true })));
      }),
      { numRuns: 300 },
    );
  });

  it('events: identical text to JSON.stringify(eventToEcs(...)), event.duration included', () => {
    fc.assert(
      fc.property(eventArb, (e) => {
        expect(eventToEcsJson(e, 'dotted')).toBe(JSON.stringify(eventToEcs(e, 'dotted')));
        expect(eventToEcsJson(e, 'nested')).toBe(JSON.stringify(eventToEcs(e, 'nested')));
        expect(eventToEcsJson(e, 'dotted', true)).toBe(JSON.stringify(eventToEcs(e, 'dotted', { omitNull: true })));
        expect(eventToEcsJson(e, 'nested', true)).toBe(JSON.stringify(eventToEcs(e, 'nested', { omitNull: true })));
      }),
      { numRuns: 300 },
    );
  });

  it('maps whose names clash when nested, or with odd keys, still match the generic path', () => {
    const map = { a: 'x.y', b: 'x.y.z', 'we"ird\u2028': 'q"\\.r', c: 'x' };
    const obj = { a: 1, b: 'two', 'we"ird\u2028': 'ok', c: null };
    for (const style of ['dotted', 'nested'] as const) {
      expect(compileEcsJson(map, style)(obj)).toBe(JSON.stringify(toEcs(obj, map, style)));
      expect(compileEcsJson(map, style, [], { omitNull: true })(obj)).toBe(JSON.stringify(toEcs(obj, map, style, { omitNull: true })));
    }
    // omitNull keeps the map's key order whatever is null, and drops emptied parents but not {} values
    const m2 = { a: 'user.name', b: 'source.ip', c: 'user.effective.name', d: 'labels' };
    const o2 = { a: null, b: '1.2.3.4', c: 'root', d: {} };
    expect(compileEcsJson(m2, 'nested', [], { omitNull: true })(o2)).toBe('{"user":{"effective":{"name":"root"}},"source":{"ip":"1.2.3.4"},"labels":{}}');
    expect(JSON.stringify(toEcs(o2, m2, 'nested', { omitNull: true }))).toBe('{"user":{"effective":{"name":"root"}},"source":{"ip":"1.2.3.4"},"labels":{}}');
    expect(compileEcsJson(m2, 'nested', [], { omitNull: true })({ a: null, b: null, c: null, d: null })).toBe('{}');
    expect(compileEcsJson({}, 'nested')({})).toBe('{}');
  });
});

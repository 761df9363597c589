import { describe, expect, it } from 'vitest';
import { ADDRESS_CLASSES, parseAddress, subnetLabel } from '../../src/features/index.js';
import { encoder, ev, rawRows } from './helpers.js';

const info = () => ({ cls: 0, v6: 0, net1: 0, net2: 0, wide: 0, key1: 0, key2: 0 });
const cls = (ip: string | null) => ADDRESS_CLASSES[parseAddress(ip, info()).cls];

describe('where family', () => {
  it('classifies IPv4 and IPv6 source addresses', () => {
    expect(cls(null)).toBe('missing');
    expect(cls('')).toBe('missing');
    expect(cls('0.0.0.0')).toBe('missing');
    expect(cls('::')).toBe('missing');
    expect(cls('127.0.0.1')).toBe('loopback');
    expect(cls('::1')).toBe('loopback');
    for (const ip of ['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1', '169.254.1.1', 'fd00::1', 'fe80::1%eth0', '::ffff:10.0.0.1']) {
      expect(cls(ip), ip).toBe('private');
    }
    for (const ip of ['8.8.8.8', '172.32.0.1', '203.0.113.5', '2001:db8::1', '[2001:db8::1]', '2001:db8:0:0:1:2:3:4', '::ffff:8.8.8.8', '64:ff9b::1.2.3.4']) {
      expect(cls(ip), ip).toBe('public');
    }
    for (const ip of ['host.example.com', '999.1.1.1', '1.2.3', 'UNKNOWN', '1:2:3:4:5:6:7:8:9', '1::2::3', 'a'.repeat(100)]) {
      expect(cls(ip), ip).toBe('other');
    }
    expect(parseAddress('2001:db8::1', info()).v6).toBe(1);
    expect(parseAddress('::ffff:10.0.0.1', info()).v6).toBe(0);
  });

  it('groups addresses by /24 and /64 subnet, and labels them', () => {
    const a = parseAddress('203.0.113.5', info());
    const b = parseAddress('203.0.113.200', info());
    const c = parseAddress('203.0.114.5', info());
    expect([a.net1, a.net2]).toEqual([b.net1, b.net2]);
    expect([a.net1, a.net2]).not.toEqual([c.net1, c.net2]);
    expect(a.wide).toBe(c.wide); // same /16
    const d = parseAddress('2001:db8:1:2::5', info());
    const e = parseAddress('2001:db8:1:2:ffff::1', info());
    const f = parseAddress('2001:db8:1:3::5', info());
    expect([d.net1, d.net2]).toEqual([e.net1, e.net2]);
    expect([d.net1, d.net2]).not.toEqual([f.net1, f.net2]);
    expect(subnetLabel('203.0.113.5')).toBe('203.0.113.0/24');
    expect(subnetLabel('2001:db8:1:2::5')).toBe('2001:db8:1:2::/64');
  });

  it('writes class one-hots, the IPv6 flag and one network bucket', () => {
    const [a, b, c] = rawRows(encoder(), [ev({ sourceIp: '203.0.113.5' }), ev({ sourceIp: '2001:db8::1' }), ev({ kind: 'sudo', sourceIp: null })]);
    const on = (r: Record<string, number>, p: string) => Object.keys(r).filter((k) => k.startsWith(p) && r[k] === 1);
    expect(on(a, 'where.class=')).toEqual(['where.class=public']);
    expect(a['where.ipv6']).toBe(0);
    expect(on(a, 'where.net_bucket=')).toHaveLength(1);
    expect(b['where.ipv6']).toBe(1);
    expect(on(c, 'where.class=')).toEqual(['where.class=missing']);
    expect(on(c, 'where.net_bucket=')).toHaveLength(0);
    const none = rawRows(encoder({ families: { where: { networkBuckets: 0 } } }), [ev()]);
    expect(Object.keys(none[0]).some((k) => k.startsWith('where.net_bucket'))).toBe(false);
  });
});

import { describe, it, expect } from 'vitest';
import { LineParser, StreamClock } from '../../src/grammar/index.js';
import { p } from './helpers.js';

describe('RFC 3164', () => {
  it('splits time, host, program, pid, message', () => {
    const r = p('Mar  4 09:15:02 web-03 sshd[123]: Accepted password for a from 1.2.3.4 port 5 ssh2');
    expect(r).toMatchObject({ envelope: 'rfc3164', timestamp: Date.UTC(2026, 2, 4, 9, 15, 2), hostName: 'web-03', processName: 'sshd', processPid: 123, malformed: null });
    expect(r.message).toBe('Accepted password for a from 1.2.3.4 port 5 ssh2');
  });
  it('empty host field, no host, tag without pid, PRI prefix, single-digit day, fractions', () => {
    expect(p('Feb  9 21:20:08  sshd[8317]: last message repeated 2 times')).toMatchObject({ hostName: null, processName: 'sshd', processPid: 8317, action: 'repeat_last' });
    expect(p('Mar  4 09:15:02 sshd[123]: Connection closed by 1.2.3.4 port 5')).toMatchObject({ hostName: null, processName: 'sshd', processPid: 123, action: 'ssh_connection_closed' });
    expect(p('Mar  4 09:15:02 host sudo: pam_unix(sudo:session): session closed for user root')).toMatchObject({ hostName: 'host', processName: 'sudo', processPid: null });
    expect(p('<38>Mar 4 09:15:02 host su: (to root) a on pts/1')).toMatchObject({ envelope: 'rfc3164', timestamp: Date.UTC(2026, 2, 4, 9, 15, 2), action: 'su_session' });
    expect(p('Mar 04 09:15:02.123456 host sshd[1]: Server listening on :: port 22.')).toMatchObject({ timestamp: Date.UTC(2026, 2, 4, 9, 15, 2, 123), action: 'ssh_server_start' });
    expect(p('Mar  4 09:15:02 host kernel something happened')).toMatchObject({ hostName: 'host', processName: null, message: 'kernel something happened' });
  });
  it('rejects non-timestamps as no-envelope (still one record)', () => {
    expect(p('Mar 44 09:15:02 host x: y')).toMatchObject({ envelope: null, malformed: 'no-envelope', message: 'Mar 44 09:15:02 host x: y' });
    expect(p('Mar  4 29:15:02 host x: y').malformed).toBe('no-envelope');
    expect(p('').malformed).toBe('empty-line');
  });
  it('New Year rollover in a stream never jumps back a year', () => {
    const parser = new LineParser({ year: 2025 });
    const rs = parser.parseBatch([
      'Dec 31 23:59:58 h sshd[1]: x',
      'Jan  1 00:00:01 h sshd[1]: x',
      'Dec 31 23:59:59 h sshd[1]: late straggler',
      'Jan  2 00:00:01 h sshd[1]: x',
      'Feb  1 00:00:00 h sshd[1]: x',
    ]);
    expect(rs.map((r) => new Date(r.timestamp as number).toISOString())).toEqual([
      '2025-12-31T23:59:58.000Z',
      '2026-01-01T00:00:01.000Z',
      '2025-12-31T23:59:59.000Z',
      '2026-01-02T00:00:01.000Z',
      '2026-02-01T00:00:00.000Z',
    ]);
  });
  it('year inference from the clock steps back when the stamp would be in the future', () => {
    const now = Date.UTC(2026, 0, 5);
    const c = new StreamClock('UTC', undefined, () => now);
    expect(new Date(c.yearless(12, 30, 10, 0, 0, 0)).getUTCFullYear()).toBe(2025);
    const c2 = new StreamClock('UTC', undefined, () => now);
    expect(new Date(c2.yearless(1, 4, 10, 0, 0, 0)).getUTCFullYear()).toBe(2026);
  });
  it('timezones: fixed offsets and IANA names incl. DST', () => {
    const line = 'Jul  1 12:00:00 h sshd[1]: x';
    expect(new LineParser({ year: 2026, timezone: '+02:00' }).parse(line).timestamp).toBe(Date.UTC(2026, 6, 1, 10));
    expect(new LineParser({ year: 2026, timezone: '-0530' }).parse(line).timestamp).toBe(Date.UTC(2026, 6, 1, 17, 30));
    expect(new LineParser({ year: 2026, timezone: 'Europe/Berlin' }).parse(line).timestamp).toBe(Date.UTC(2026, 6, 1, 10));
    expect(new LineParser({ year: 2026, timezone: 'Europe/Berlin' }).parse('Jan 15 12:00:00 h sshd[1]: x').timestamp).toBe(Date.UTC(2026, 0, 15, 11));
    expect(new LineParser({ year: 2026, timezone: 'America/New_York' }).parse('Nov  1 12:00:00 h sshd[1]: x').timestamp).toBe(Date.UTC(2026, 10, 1, 17));
  });
  it('bad options throw naming the option', () => {
    expect(() => new LineParser({ timezone: 'Mars/Olympus' })).toThrow(/timezone/);
    expect(() => new LineParser({ year: 1.5 })).toThrow(/year/);
    expect(() => new LineParser({ envelope: 'nope' })).toThrow(/envelope.*rfc3164/);
  });
});

describe('ISO 8601 (rsyslog high precision, journalctl short-iso)', () => {
  it('reads offsets with and without colon, Z, and no offset (timezone option)', () => {
    expect(p('2026-03-04T09:15:02.123456+00:00 host sshd[7]: x')).toMatchObject({ envelope: 'iso8601', timestamp: Date.UTC(2026, 2, 4, 9, 15, 2, 123), hostName: 'host', processPid: 7 });
    expect(p('2026-03-04T09:15:02+0100 host sshd[7]: x').timestamp).toBe(Date.UTC(2026, 2, 4, 8, 15, 2));
    expect(p('2019-06-14T13:01:15.412+01:30 localhost pam: user nobody logged out.').timestamp).toBe(Date.UTC(2019, 5, 14, 11, 31, 15, 412));
    expect(p('2026-03-04T09:15:02Z host sshd[7]: x').timestamp).toBe(Date.UTC(2026, 2, 4, 9, 15, 2));
    expect(new LineParser({ timezone: '+02:00' }).parse('2019-06-14T10:40:20.912134 localhost sudo: x').timestamp).toBe(Date.UTC(2019, 5, 14, 8, 40, 20, 912));
  });
});

describe('RFC 5424', () => {
  it('reads header, nil values, structured data with escapes, BOM', () => {
    const r = p('<30>1 2023-09-28T12:10:12.175599+02:00 test.lab.com systemd 153589 - - Stopped target Default.');
    expect(r).toMatchObject({ envelope: 'rfc5424', timestamp: Date.UTC(2023, 8, 28, 10, 10, 12, 175), hostName: 'test.lab.com', processName: 'systemd', processPid: 153589, message: 'Stopped target Default.' });
    const s = p('<86>1 2026-03-04T09:15:02Z h sshd 42 ID7 [ex@1 a="x\\]y" b="]"][z@2 c="1"] \uFEFFAccepted password for bob from 1.2.3.4 port 22 ssh2');
    expect(s).toMatchObject({ processName: 'sshd', processPid: 42, action: 'ssh_login', userName: 'bob' });
    expect(p('<86>1 - - - - - - hello')).toMatchObject({ envelope: 'rfc5424', timestamp: null, hostName: null, processName: null, message: 'hello' });
  });
});

describe('journald JSON', () => {
  it('reads the export fields; MESSAGE as byte array; falls back to _COMM', () => {
    const msgBytes = [...Buffer.from('Invalid user b\u00e9'), 0xff, ...Buffer.from(' from 1.2.3.4 port 22')];
    const r = p(JSON.stringify({ __REALTIME_TIMESTAMP: '1700000000123456', _HOSTNAME: 'h', _COMM: 'sshd', _PID: '77', MESSAGE: msgBytes }));
    expect(r).toMatchObject({ envelope: 'journald-json', timestamp: 1700000000123, hostName: 'h', processName: 'sshd', processPid: 77, action: 'ssh_invalid_user', sourceIp: '1.2.3.4' });
    expect(r.userName).toBe('b\u00e9\uFFFD');
    const s = p(JSON.stringify({ __REALTIME_TIMESTAMP: '1700000000000000', _HOSTNAME: 'h', SYSLOG_IDENTIFIER: 'sshd-session', _COMM: 'sshd', _PID: '9', MESSAGE: 'Accepted password for a from ::1 port 2 ssh2' }));
    expect(s).toMatchObject({ processName: 'sshd-session', sourceIp: '::1' });
    expect(p('{"not json')).toMatchObject({ envelope: null, malformed: 'bad-json' });
  });
});

describe('journalctl short-unix and short-full', () => {
  it('short-unix: epoch seconds with microseconds, then host, program, pid, message', () => {
    const r = p('1700000000.123456 web-03 sshd[123]: Accepted publickey for alice from 10.0.0.5 port 50022 ssh2: ED25519 SHA256:abc');
    expect(r).toMatchObject({ envelope: 'journal-short-unix', timestamp: 1700000000123, hostName: 'web-03', processName: 'sshd', processPid: 123, action: 'ssh_login' });
    expect(r.userName).toBe('alice');
    // the time zone option does not apply: the stamp is absolute
    expect(new LineParser({ timezone: 'Europe/Berlin' }).parse('1700000000.999999 h sshd-session[9]: Connection closed by 1.2.3.4 port 5').timestamp).toBe(1700000000999);
  });
  it('short-unix: not six decimals, or a date, is not this envelope', () => {
    expect(p('1700000000.12345 h sshd[1]: x').envelope).not.toBe('journal-short-unix');
    expect(p('2026-03-04T09:15:02Z h sshd[1]: x').envelope).toBe('iso8601');
    expect(p('1700000000 h sshd[1]: x').malformed).toBe('no-envelope');
  });
  it('short-full: weekday, date, time and zone (UTC, abbreviations, numeric)', () => {
    const at = (line: string) => new LineParser({ timezone: 'UTC' }).parse(line);
    const r = at('Tue 2023-11-14 22:13:20 UTC web-03 sshd[77]: Failed password for root from 203.0.113.9 port 4242 ssh2');
    expect(r).toMatchObject({ envelope: 'journal-short-full', timestamp: Date.UTC(2023, 10, 14, 22, 13, 20), hostName: 'web-03', processName: 'sshd', processPid: 77, action: 'ssh_auth_failed' });
    expect(at('Tue 2023-11-14 23:13:20 CET h sshd[1]: x').timestamp).toBe(Date.UTC(2023, 10, 14, 22, 13, 20));
    expect(at('Tue 2023-07-14 00:13:20 CEST h sshd[1]: x').timestamp).toBe(Date.UTC(2023, 6, 13, 22, 13, 20));
    expect(at('Tue 2023-11-14 17:13:20 EST h sshd[1]: x').timestamp).toBe(Date.UTC(2023, 10, 14, 22, 13, 20));
    expect(at('Wed 2023-11-15 01:13:20 +03 h sshd[1]: x').timestamp).toBe(Date.UTC(2023, 10, 14, 22, 13, 20));
    expect(at('Wed 2023-11-15 03:43:20 +0530 h sshd[1]: x').timestamp).toBe(Date.UTC(2023, 10, 14, 22, 13, 20));
  });
  it('short-full: an ambiguous abbreviation (IST, CST) uses the timezone option', () => {
    const line = 'Wed 2023-11-15 03:43:20 IST h sshd[1]: x';
    expect(new LineParser({ timezone: 'Asia/Kolkata' }).parse(line).timestamp).toBe(Date.UTC(2023, 10, 14, 22, 13, 20));
    expect(new LineParser({ timezone: 'UTC' }).parse(line).timestamp).toBe(Date.UTC(2023, 10, 15, 3, 43, 20));
  });
  it('short-full: lines that only look like it are left to the other envelopes', () => {
    expect(p('Fri 2023-13-01 10:00:00 UTC h sshd[1]: x').malformed).toBe('no-envelope');
    expect(p('Fry 2023-11-14 10:00:00 UTC h sshd[1]: x').malformed).toBe('no-envelope');
    expect(p('Sep  4 09:15:02 web-03 sshd[1]: Server listening on :: port 22.').envelope).toBe('rfc3164');
    expect(p('Mon 2023-11-13 10:00:00 AVeryLongZoneName h sshd[1]: x').malformed).toBe('no-envelope');
  });
  it('both can be forced with the envelope option', () => {
    const unix = new LineParser({ envelope: 'journal-short-unix' });
    expect(unix.parse('1700000000.000001 h sshd[1]: Connection closed by 1.2.3.4 port 5').envelope).toBe('journal-short-unix');
    const full = new LineParser({ envelope: 'journal-short-full' });
    expect(full.parse('Tue 2023-11-14 22:13:20 UTC h sshd[1]: x').timestamp).toBe(Date.UTC(2023, 10, 14, 22, 13, 20));
    expect(full.parse('Mar  4 09:15:02 web-03 sshd[123]: x').malformed).toBe('no-envelope');
  });
});

describe('implausible timestamps', () => {
  it('a stamp before 1970 or from 2200 on keeps its line and fields but loses its time, counted by reason', () => {
    const parser = new LineParser({ year: 2026, timezone: 'UTC' });
    const rs = parser.parseBatch([
      '9999-12-31T23:59:59Z edge-01 sshd[82]: Invalid user y10k from 203.0.113.9 port 6',
      '0000-01-01T00:00:00Z edge-01 sshd[83]: Invalid user y0 from 203.0.113.9 port 7',
      '<34>1 2200-01-01T00:00:00Z edge-01 sshd 84 - - Invalid user y2200 from 203.0.113.9 port 8',
      '2199-12-31T23:59:59Z edge-01 sshd[85]: Invalid user y2199 from 203.0.113.9 port 9',
      '0.000000 edge-01 sshd[86]: Invalid user epoch from 203.0.113.9 port 10',
    ]);
    for (const r of rs.slice(0, 3)) {
      expect(r).toMatchObject({ timestamp: null, malformed: 'implausible-timestamp', hostName: 'edge-01', processName: 'sshd', action: 'ssh_invalid_user' });
    }
    expect(rs[3]).toMatchObject({ timestamp: Date.UTC(2199, 11, 31, 23, 59, 59), malformed: null });
    expect(rs[4]).toMatchObject({ timestamp: 0, malformed: null, envelope: 'journal-short-unix' });
    expect(parser.counters.malformedByReason['implausible-timestamp']).toBe(3);
  });
});

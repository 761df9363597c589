import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { LineParser, emptyRecord } from '../../src/grammar/index.js';

const SHAPE = Object.keys(emptyRecord(0, '')).join(',');
const PREFIXES = [
  'Mar  4 09:15:02 h sshd[1]: ',
  'Dec 31 23:59:59  sshd[1]: ',
  '2026-03-04T09:15:02.123+00:00 h sudo: ',
  '<34>1 2026-03-04T09:15:02Z h sshd 1 - - ',
  'type=USER_AUTH msg=audit(1.2:3): ',
  '{"MESSAGE":',
  'Mar  4 09:15:02 h sshd(pam_unix)[1]: ',
  '',
];
const MESSAGES = [
  'Accepted password for ', 'Failed password for invalid user ', 'Invalid user ', 'Connection closed by ', 'Received disconnect from ',
  'Disconnected from user ', 'PAM 3 more authentication failures; ', 'pam_unix(sshd:auth): authentication failure; logname= rhost=', 'message repeated 2 times: [ ',
  ' alice : TTY=', '(to root) ', 'New session ', 'msg=\'acct="', 'User ', 'Starting session: ', 'Disconnecting ', 'error: maximum authentication attempts exceeded for ',
];
const junk = fc.string({ unit: fc.constantFrom('a', ' ', ':', '[', ']', '(', ')', '=', ';', '"', "'", '1', '.', 'port', ' from ', ' for ', '\u0000', '\uFFFD', '\r', '{', '%', '-') , maxLength: 80 });
const line = fc.tuple(fc.constantFrom(...PREFIXES), fc.constantFrom(...MESSAGES), junk).map(([a, b, c]) => a + b + c);

describe('property: parsing is total', () => {
  it('never throws, one record per line with the fixed shape', () => {
    const parser = new LineParser({ year: 2026 });
    fc.assert(
      fc.property(fc.array(fc.oneof(line, fc.string({ maxLength: 120 }), fc.string({ unit: 'grapheme', maxLength: 60 })), { maxLength: 20 }), (lines) => {
        const before = parser.counters.lines;
        const out = parser.parseBatch(lines);
        expect(out.length).toBe(lines.length);
        for (const r of out) expect(Object.keys(r).join(',')).toBe(SHAPE);
        expect(parser.counters.lines - before).toBe(lines.length);
        expect(parser.counters.parsed + parser.counters.unknown).toBe(parser.counters.lines);
      }),
      { numRuns: 300 },
    );
  });

  it('attacker user names never change source.ip / source.port', () => {
    const user = fc.string({ unit: fc.constantFrom('a', ' ', 'from', ' port ', '6.6.6.6', '22', 'invalid user ', ':', '[preauth]', 'ssh2', 'rhost=', 'user='), maxLength: 40 });
    const templates: [string, (u: string) => string][] = [
      ['ssh_invalid_user', (u) => `Invalid user ${u} from 1.2.3.4 port 5555`],
      ['ssh_auth_failed', (u) => `Failed password for invalid user ${u} from 1.2.3.4 port 5555 ssh2`],
      ['ssh_login', (u) => `Accepted password for ${u} from 1.2.3.4 port 5555 ssh2`],
      ['ssh_connection_closed', (u) => `Connection closed by invalid user ${u} 1.2.3.4 port 5555 [preauth]`],
      ['ssh_disconnected', (u) => `Disconnected from invalid user ${u} 1.2.3.4 port 5555 [preauth]`],
      ['ssh_max_auth_exceeded', (u) => `error: maximum authentication attempts exceeded for invalid user ${u} from 1.2.3.4 port 5555 ssh2 [preauth]`],
      ['ssh_auth_postponed', (u) => `Postponed keyboard-interactive for ${u} from 1.2.3.4 port 5555 ssh2 [preauth]`],
    ];
    const parser = new LineParser({ year: 2026 });
    fc.assert(
      fc.property(user.filter((u) => u.length > 0 && u.trim() === u && !u.endsWith('[preauth]')), fc.integer({ min: 0, max: templates.length - 1 }), (u, k) => {
        const [action, t] = templates[k];
        const r = parser.parse(`Mar  4 09:15:02 h sshd[9]: ${t(u)}`);
        expect(r.action).toBe(action);
        expect(r.sourceIp).toBe('1.2.3.4');
        expect(r.sourcePort).toBe(5555);
        expect(r.processPid).toBe(9);
      }),
      { numRuns: 500 },
    );
  });

  it('PAM user= cannot change rhost', () => {
    const parser = new LineParser({ year: 2026 });
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', 'rhost=', '6.6.6.6', 'user=', ';'), maxLength: 30 }), (u) => {
        const r = parser.parse(`Mar  4 09:15:02 h sshd[9]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=${u}`);
        expect(r.sourceIp).toBe('1.2.3.4');
      }),
      { numRuns: 300 },
    );
  });
});

describe('adversarial input runs in linear time', () => {
  const MB = 1 << 20;
  const cases: [string, string][] = [
    ['spaces', ' '.repeat(MB)],
    ['from/port repetitions', 'Mar  4 09:15:02 h sshd[1]: Invalid user ' + ' from 1.1.1.1 port 1'.repeat(MB / 20)],
    ['failed with for/from', 'Mar  4 09:15:02 h sshd[1]: Failed password for ' + 'for from port '.repeat(MB / 14)],
    ['pam kv', 'Mar  4 09:15:02 h sshd[1]: pam_unix(sshd:auth): authentication failure; ' + 'a= '.repeat(MB / 3)],
    ['sudo fields', 'Mar  4 09:15:02 h sudo: u : ' + 'X=1 ; '.repeat(MB / 6)],
    ['audit kv', "type=USER_AUTH msg=audit(1.2:3): msg='" + 'k="v '.repeat(MB / 5)],
    ['5424 SD', '<1>1 - h a 1 - ' + '[x a="\\]'.repeat(MB / 9)],
    ['sudo segments without =', 'Mar  4 09:15:02 h sudo: u : ' + 'a ; '.repeat(MB / 4) + 'X=1'],
    ['audit tokens without =', 'type=USER_AUTH msg=audit(1.2:3): ' + 'a '.repeat(MB / 2) + '='],
    ['useradd pairs without =', 'Mar  4 09:15:02 h useradd[1]: new user: ' + 'a, '.repeat(MB / 3) + 'x=1'],
    ['old PAM form kv', 'Mar  4 09:15:02 h sshd(pam_unix)[1]: authentication failure; ' + 'a '.repeat(MB / 2) + 'user=x'],
    ['journald JSON nested arrays', '{"MESSAGE":' + '['.repeat(MB / 2) + ']'.repeat(MB / 2) + '}'],
    ['ISO fraction digits', '2026-03-04T09:15:02.' + '1'.repeat(MB)],
    ['audit stamp digits', 'type=X msg=audit(' + '1'.repeat(MB)],
    ['PAM session by/uid', 'Mar  4 09:15:02 h sshd[1]: pam_unix(sshd:session): session opened for user ' + ' by (uid='.repeat(MB / 10)],
    ['brackets tag', 'Mar  4 09:15:02 h ' + '['.repeat(MB)],
    ['repeated', 'Mar  4 09:15:02 h sshd[1]: message repeated 9 times: [ ' + 'Disconnecting '.repeat(MB / 14)],
  ];
  for (const [name, text] of cases) {
    it(`1 MB of ${name} parses in < 500 ms`, () => {
      const parser = new LineParser({ year: 2026 });
      const t0 = performance.now();
      const r = parser.parse(text);
      const ms = performance.now() - t0;
      expect(r.line).toBe(1);
      expect(ms).toBeLessThan(500);
    });
  }
});

describe('property: time', () => {
  const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const fmt3164 = (t: number): string => {
    const d = new Date(t);
    const day = d.getUTCDate();
    const p2 = (n: number): string => String(n).padStart(2, '0');
    return `${MON[d.getUTCMonth()]} ${day < 10 ? ` ${day}` : day} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
  };
  it('an in-order year-less stream with gaps under 6 months keeps its true times across New Years', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2090, 0, 1) }), fc.array(fc.integer({ min: 0, max: 150 * 86_400 }), { minLength: 1, maxLength: 40 }), (start, gaps) => {
        const t0 = Math.floor(start / 1000) * 1000;
        const times = [t0];
        for (const g of gaps) times.push(times[times.length - 1] + g * 1000);
        const parser = new LineParser({ year: new Date(t0).getUTCFullYear() });
        const got = parser.parseBatch(times.map((t) => `${fmt3164(t)} h sshd[1]: x`)).map((r) => r.timestamp);
        expect(got).toEqual(times);
      }),
      { numRuns: 300 },
    );
  });
  it('local wall-clock time in a zone converts back to the instant (unambiguous hours)', () => {
    const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', '+05:45', '-03:00'];
    const fmts = new Map(zones.map((z) => [z, new Intl.DateTimeFormat('en-US', { timeZone: z.startsWith('+') || z.startsWith('-') ? undefined : z, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })]));
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2015, 0, 1) / 1000, max: Date.UTC(2035, 0, 1) / 1000 }), fc.constantFrom(...zones), (sec, zone) => {
        const wallOf = (ms: number): number => {
          if (zone.startsWith('+') || zone.startsWith('-')) {
            const sign = zone[0] === '-' ? -1 : 1;
            return ms + sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
          }
          const parts = Object.fromEntries((fmts.get(zone) as Intl.DateTimeFormat).formatToParts(ms).map((x) => [x.type, x.value]));
          return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour) % 24, Number(parts.minute), Number(parts.second));
        };
        const t = sec * 1000;
        const wall = wallOf(t);
        const line = `${new Date(wall).toISOString().slice(0, 19)} h sshd[1]: x`;
        const got = new LineParser({ timezone: zone }).parse(line).timestamp as number;
        // exact, or (in a repeated fall-back hour) another instant showing the same wall time
        if (got !== t) expect(wallOf(got)).toBe(wall);
      }),
      { numRuns: 400 },
    );
  });
});

/**
 * A hostile auth log, generated: attacker-chosen user names (HTML, ANSI escapes, spreadsheet formulas, bidi
 * overrides, 64 KB names), a 5 MB line, NUL bytes and invalid UTF-8, a password spray over thousands of distinct user
 * names, thousands of sessions that never close, pid reuse, and timestamps that jump. Every line is RFC 3164 with
 * host `edge-01` in March of the simulation's year, so it interleaves with a small simulated organisation.
 */

/** User names an attacker types at the ssh prompt (each is logged verbatim by sshd). */
export const EVIL_USERS = [
  '<script>alert(1)</script>',
  '\u001b[2J\u001b[31mroot',
  '=HYPERLINK("http://evil.example/","click")',
  '+cmd|\'/c calc\'!A0',
  'admin\u202egnp.exe',
  'x'.repeat(65_536),
  '"quoted" \\ back\\slash',
];

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `Mar  D HH:MM:SS` for a second offset from Mar 3 00:00:00. */
function stamp(second: number): string {
  const day = 3 + Math.floor(second / 86_400);
  const s = second % 86_400;
  return `Mar ${String(day).padStart(2, ' ')} ${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** One failed ssh connection (3 lines) per {@link EVIL_USERS} name, from `t` seconds after Mar 3 00:00, pids after `pid`. */
export function evilLines(t = 3600, pid = 1000): string[] {
  const out: string[] = [];
  for (const u of EVIL_USERS) {
    pid++;
    out.push(`${stamp(t)} edge-01 sshd[${pid}]: Invalid user ${u} from 203.0.113.5 port ${40000 + pid}`);
    out.push(`${stamp(t)} edge-01 sshd[${pid}]: Failed password for invalid user ${u} from 203.0.113.5 port ${40000 + pid} ssh2`);
    out.push(`${stamp(t + 1)} edge-01 sshd[${pid}]: Connection closed by invalid user ${u} 203.0.113.5 port ${40000 + pid} [preauth]`);
    t += 2;
  }
  return out;
}

export interface HostileLog {
  /** The file's bytes (not valid UTF-8 everywhere, on purpose). */
  bytes: Buffer;
  /** Lines in the file. */
  lines: number;
  /** ssh connections of the spray (each names a distinct user and never authenticates). */
  sprayConnections: number;
  /** Sessions that are accepted and never closed. */
  openSessions: number;
}

/** Builds the hostile log. `spray` distinct users, `open` never-closed sessions. */
export function hostileLog(spray = 20_000, open = 5_000): HostileLog {
  const parts: (string | Buffer)[] = [];
  let lines = 0;
  const line = (s: string | Buffer): void => {
    parts.push(s, '\n');
    lines++;
  };
  let t = 3600;
  let pid = 1000;
  // attacker-chosen user names, each in a failed connection
  for (const l of evilLines(t, pid)) line(l);
  t += 2 * EVIL_USERS.length;
  pid += EVIL_USERS.length;
  // a 5 MB line, NUL bytes, invalid UTF-8, a bare CR in a line
  line('A'.repeat(5 * 1024 * 1024));
  line(Buffer.from(`${stamp(t)} edge-01 sshd[77]: Invalid user nul\u0000byte from 203.0.113.6 port 1`, 'utf8'));
  line(Buffer.concat([Buffer.from(`${stamp(t)} edge-01 sshd[78]: Invalid user `), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' from 203.0.113.7 port 2')]));
  line(`${stamp(t)} edge-01 sshd[79]: Invalid user cr\rreturn from 203.0.113.8 port 3`);
  // timestamps that jump: far back, far ahead (parsed; the assembler counts them late or moves on)
  line(`Jan  1 00:00:00 edge-01 sshd[80]: Invalid user timetravel from 203.0.113.9 port 4`);
  line(`Dec 31 23:59:59 edge-01 sshd[81]: Invalid user timetravel from 203.0.113.9 port 5`);
  line(`9999-12-31T23:59:59Z edge-01 sshd[82]: Invalid user y10k from 203.0.113.9 port 6`);
  line(`0000-01-01T00:00:00Z edge-01 sshd[83]: Invalid user y0 from 203.0.113.9 port 7`);
  // a password spray: one connection per distinct user name, from a few hundred addresses
  for (let i = 0; i < spray; i++) {
    pid++;
    const src = `198.51.100.${i % 250}`;
    const s = stamp(t + Math.floor(i / 20));
    line(`${s} edge-01 sshd[${pid}]: Invalid user spray${i} from ${src} port ${1024 + (i % 60000)}`);
    line(`${s} edge-01 sshd[${pid}]: Failed password for invalid user spray${i} from ${src} port ${1024 + (i % 60000)} ssh2`);
    line(`${s} edge-01 sshd[${pid}]: Connection closed by invalid user spray${i} ${src} port ${1024 + (i % 60000)} [preauth]`);
  }
  t += Math.ceil(spray / 20) + 10;
  // sessions that never close (and reuse pids from the spray range)
  for (let i = 0; i < open; i++) {
    const p = 1001 + (i % 4000);
    line(`${stamp(t + Math.floor(i / 50))} edge-01 sshd[${p}]: Accepted password for ops${i % 40} from 10.9.${(i >> 8) & 255}.${i & 255} port ${2000 + i} ssh2`);
  }
  return { bytes: Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p))), lines, sprayConnections: spray, openSessions: open };
}

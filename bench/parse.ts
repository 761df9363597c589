/**
 * Grammar throughput benchmark: generates a 1.2M-line sshd-heavy auth log in memory (realistic mix of logins,
 * brute force, PAM, sudo, cron, logind, unknown lines, ~5% ISO 8601 envelope) and parses it on one core with
 * `LineParser.parseBatch`. Side by side it times a baseline that only runs one envelope regex per line, so the
 * ratio is meaningful on a shared machine. Also times adversarial 1 MB lines.
 *
 * Run: npx tsx bench/parse.ts [lines]
 */
import { LineParser } from '../src/grammar/index.js';

const N = Number(process.argv[2] ?? 1_200_000);
let seed = 12345;
function rnd(n: number): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
}
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const USERS = ['alice', 'bob', 'carol', 'deploy', 'ansible', 'root', 'backup', 'jenkins'];
const BAD = ['admin', 'test', 'oracle', 'ubuntu', 'guest', 'user1', 'postgres', 'pi', 'ftpuser', 'support'];
const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

function generate(n: number): string[] {
  const out: string[] = [];
  let t = Date.UTC(2026, 2, 1);
  while (out.length < n) {
    t += 1000 + rnd(20_000);
    const d = new Date(t);
    const day = d.getUTCDate();
    const stamp = `${MON[d.getUTCMonth()]} ${day < 10 ? ` ${day}` : day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    const iso = rnd(20) === 0;
    const host = `web-${pad(rnd(60))}`;
    const pre = iso ? `${d.toISOString().slice(0, 19)}.${String(rnd(1e6)).padStart(6, '0')}+00:00 ${host}` : `${stamp} ${host}`;
    const pid = 1000 + rnd(60000);
    const ip = `${1 + rnd(223)}.${rnd(256)}.${rnd(256)}.${1 + rnd(254)}`;
    const port = 1024 + rnd(64000);
    const sshd = `${pre} sshd[${pid}]: `;
    const kind = rnd(100);
    if (kind < 35) {
      // brute force burst
      const u = BAD[rnd(BAD.length)];
      out.push(`${sshd}Invalid user ${u} from ${ip} port ${port}`);
      out.push(`${sshd}pam_unix(sshd:auth): check pass; user unknown`);
      out.push(`${sshd}pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}`);
      out.push(`${sshd}Failed password for invalid user ${u} from ${ip} port ${port} ssh2`);
      out.push(`${sshd}Received disconnect from ${ip} port ${port}:11: Bye Bye [preauth]`);
      out.push(`${sshd}Disconnected from invalid user ${u} ${ip} port ${port} [preauth]`);
    } else if (kind < 50) {
      out.push(`${sshd}Failed password for root from ${ip} port ${port} ssh2`);
      out.push(`${sshd}message repeated 2 times: [ Failed password for root from ${ip} port ${port} ssh2]`);
      out.push(`${sshd}error: maximum authentication attempts exceeded for root from ${ip} port ${port} ssh2 [preauth]`);
      out.push(`${sshd}Disconnecting authenticating user root ${ip} port ${port}: Too many authentication failures [preauth]`);
      out.push(`${sshd}PAM 5 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}  user=root`);
    } else if (kind < 75) {
      // a real login session
      const u = USERS[rnd(USERS.length)];
      const sid = rnd(100000);
      out.push(`${sshd}Connection from ${ip} port ${port} on 10.0.0.1 port 22 rdomain ""`);
      if (rnd(2) === 0) out.push(`${sshd}Accepted publickey for ${u} from ${ip} port ${port} ssh2: ED25519 SHA256:${'Ab3dE'.repeat(8)}xyz`);
      else out.push(`${sshd}Accepted password for ${u} from ${ip} port ${port} ssh2`);
      out.push(`${sshd}pam_unix(sshd:session): session opened for user ${u}(uid=1001) by ${u}(uid=0)`);
      out.push(`${pre} systemd-logind[612]: New session ${sid} of user ${u}.`);
      out.push(`${sshd}User child is on pid ${pid + 1}`);
      out.push(`${sshd}Starting session: shell on pts/0 for ${u} from ${ip} port ${port} id 0`);
      out.push(`${sshd}Received disconnect from ${ip} port ${port}:11: disconnected by user`);
      out.push(`${sshd}Disconnected from user ${u} ${ip} port ${port}`);
      out.push(`${sshd}pam_unix(sshd:session): session closed for user ${u}`);
      out.push(`${pre} systemd-logind[612]: Session ${sid} logged out. Waiting for processes to exit.`);
      out.push(`${pre} systemd-logind[612]: Removed session ${sid}.`);
    } else if (kind < 85) {
      const u = USERS[rnd(USERS.length)];
      out.push(`${pre} sudo:   ${u} : TTY=pts/${rnd(9)} ; PWD=/home/${u} ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx`);
      out.push(`${pre} sudo: pam_unix(sudo:session): session opened for user root(uid=0) by ${u}(uid=1001)`);
      out.push(`${pre} sudo: pam_unix(sudo:session): session closed for user root`);
    } else if (kind < 95) {
      out.push(`${pre} CRON[${pid}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`);
      out.push(`${pre} CRON[${pid}]: (root) CMD (   cd / && run-parts --report /etc/cron.hourly)`);
      out.push(`${pre} CRON[${pid}]: pam_unix(cron:session): session closed for user root`);
    } else {
      out.push(`${sshd}Connection closed by ${ip} port ${port} [preauth]`);
      out.push(`${sshd}Did not receive identification string from ${ip} port ${port}`);
      out.push(`${pre} kernel: [${rnd(99999)}.${rnd(999999)}] UFW BLOCK IN=eth0 OUT= SRC=${ip} DST=10.0.0.1 PROTO=TCP SPT=${port} DPT=23`);
    }
  }
  out.length = n;
  return out;
}

const BATCH = 4096;
const BASELINE = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d) (\S+) ([^[: ]+)(?:\[(\d+)\])?: (.*)$/;

let lastCpuMs = 0;
function timeParser(lines: string[]): number {
  const parser = new LineParser({ year: 2026 });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < lines.length; i += BATCH) parser.parseBatch(lines.slice(i, i + BATCH));
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  lastCpuMs = (c.user + c.system) / 1000;
  return ms;
}

function timeBaseline(lines: string[]): number {
  let hits = 0;
  const t0 = performance.now();
  for (let i = 0; i < lines.length; i++) if (BASELINE.exec(lines[i]) !== null) hits++;
  const ms = performance.now() - t0;
  if (hits < 0) console.log(hits);
  return ms;
}

const lines = generate(N);
const bytes = lines.reduce((s, l) => s + Buffer.byteLength(l) + 1, 0);
console.log(`generated ${lines.length.toLocaleString('en')} lines, ${(bytes / 1e6).toFixed(1)} MB (node ${process.version})`);
// warm-up
timeParser(lines.slice(0, 200_000));
timeBaseline(lines.slice(0, 200_000));

const runs: { parse: number; base: number; cpu: number }[] = [];
for (let r = 0; r < 3; r++) {
  const parse = timeParser(lines);
  const cpu = lastCpuMs;
  runs.push({ parse, base: timeBaseline(lines), cpu });
}
const best = (k: 'parse' | 'base' | 'cpu'): number => Math.min(...runs.map((x) => x[k]));
const pms = best('parse');
const bms = best('base');
console.log(`LineParser (envelope + message, one core): ${(lines.length / (pms / 1000)).toFixed(0)} lines/s, ${(bytes / 1e6 / (pms / 1000)).toFixed(1)} MB/s (best of 3: ${pms.toFixed(0)} ms)`);
const cms = best('cpu');
console.log(`  per CPU-second of this process (all threads incl. GC; robust on a busy machine): ${(lines.length / (cms / 1000)).toFixed(0)} lines/s (${cms.toFixed(0)} ms CPU)`);
console.log(`baseline (one envelope regex only):        ${(lines.length / (bms / 1000)).toFixed(0)} lines/s (best of 3: ${bms.toFixed(0)} ms)`);
console.log(`ratio full parse / envelope-regex baseline time: ${(pms / bms).toFixed(2)}x`);

const parser = new LineParser({ year: 2026 });
const counted = parser.parseBatch(lines.slice(0, 200_000));
const unknown = counted.filter((r) => r.action === 'unknown').length;
console.log(`unknown share in the mix: ${((unknown / counted.length) * 100).toFixed(1)}% (CRON CMD and kernel lines are unknown by design)`);

const MB = 1 << 20;
const adversarial: [string, string][] = [
  ['1 MB spaces', ' '.repeat(MB)],
  ['1 MB "Invalid user" + " from 1.1.1.1 port 1" x52k', 'Mar  4 09:15:02 h sshd[1]: Invalid user ' + ' from 1.1.1.1 port 1'.repeat(MB / 20)],
  ['1 MB "Failed password for" + "for from port " x75k', 'Mar  4 09:15:02 h sshd[1]: Failed password for ' + 'for from port '.repeat(MB / 14)],
  ['1 MB PAM kv', 'Mar  4 09:15:02 h sshd[1]: pam_unix(sshd:auth): authentication failure; ' + 'a= '.repeat(MB / 3)],
  ['1 MB sudo fields', 'Mar  4 09:15:02 h sudo: u : ' + 'X=1 ; '.repeat(MB / 6)],
  ['1 MB audit kv', "type=USER_AUTH msg=audit(1.2:3): msg='" + 'k="v '.repeat(MB / 5)],
  ['1 MB sudo segments without =', 'Mar  4 09:15:02 h sudo: u : ' + 'a ; '.repeat(MB / 4) + 'X=1'],
  ['1 MB audit tokens without =', 'type=USER_AUTH msg=audit(1.2:3): ' + 'a '.repeat(MB / 2) + '='],
  ['1 MB useradd pairs without =', 'Mar  4 09:15:02 h useradd[1]: new user: ' + 'a, '.repeat(MB / 3) + 'x=1'],
  ['1 MB journald JSON nested arrays', '{"MESSAGE":' + '['.repeat(MB / 2) + ']'.repeat(MB / 2) + '}'],
  ['1 MB ISO fraction digits', '2026-03-04T09:15:02.' + '1'.repeat(MB)],
  ['1 MB RFC 5424 SD', '<1>1 - h a 1 - ' + '[x a="\\]'.repeat(MB / 9)],
];
for (const [name, text] of adversarial) {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 5; r++) {
    const p = new LineParser({ year: 2026 });
    p.parse(text.slice(0, 1000));
    const t0 = performance.now();
    p.parse(text);
    best = Math.min(best, performance.now() - t0);
  }
  console.log(`adversarial ${name}: ${best.toFixed(2)} ms (best of 5)`);
}

/**
 * The simulated organisation: hosts (roles, OS dialects, clocks), human users (time zones, schedules, habits,
 * usual hosts and sources, keys, planned legitimate novelty) and service accounts. Built once from the seed.
 *
 * @module
 */
import { Rng, hashFloat } from './rng.js';
import type { ResolvedSimulateOptions, SimEnvelope } from './options.js';

/** Role of a host. */
export type HostRole = 'bastion' | 'web' | 'app' | 'db' | 'build' | 'mgmt' | 'backup' | 'hpc' | 'workstation';

/** What a host's OS logs like. */
export interface Distro {
  /** Short name, e.g. `ubuntu2204`. */
  name: string;
  /** OpenSSH version times 10 (74 = 7.4, 99 = 9.9). */
  ssh: number;
  /** Syslog tag of per-connection sshd lines (`sshd`, or `sshd-session` from OpenSSH 9.8). */
  sshProgram: string;
  /** Linux-PAM >= 1.4 prints `for user alice(uid=1000) by alice(uid=0)`. */
  pamNew: boolean;
  /** sudo lines carry a pid (`sudo[1234]:`). */
  sudoPid: boolean;
  /** su flavour. */
  su: 'debian' | 'rhel';
}

/** Distros and their share of the fleet. */
export const DISTROS: readonly { d: Distro; w: number }[] = [
  { d: { name: 'rhel7', ssh: 74, sshProgram: 'sshd', pamNew: false, sudoPid: false, su: 'rhel' }, w: 0.06 },
  { d: { name: 'ubuntu1804', ssh: 76, sshProgram: 'sshd', pamNew: false, sudoPid: false, su: 'debian' }, w: 0.1 },
  { d: { name: 'ubuntu2004', ssh: 82, sshProgram: 'sshd', pamNew: false, sudoPid: false, su: 'debian' }, w: 0.2 },
  { d: { name: 'rhel9', ssh: 87, sshProgram: 'sshd', pamNew: true, sudoPid: true, su: 'rhel' }, w: 0.12 },
  { d: { name: 'ubuntu2204', ssh: 89, sshProgram: 'sshd', pamNew: true, sudoPid: false, su: 'debian' }, w: 0.22 },
  { d: { name: 'debian12', ssh: 92, sshProgram: 'sshd', pamNew: true, sudoPid: true, su: 'debian' }, w: 0.1 },
  { d: { name: 'ubuntu2404', ssh: 96, sshProgram: 'sshd', pamNew: true, sudoPid: true, su: 'debian' }, w: 0.14 },
  { d: { name: 'fedora41', ssh: 99, sshProgram: 'sshd-session', pamNew: true, sudoPid: true, su: 'rhel' }, w: 0.06 },
];

/** One simulated host and its mutable per-run state (pid counter, logind session counter). */
export interface SimHost {
  index: number;
  name: string;
  role: HostRole;
  ip: string;
  /** sshd reachable from the internet (gets background noise). */
  exposed: boolean;
  distro: Distro;
  envelope: SimEnvelope;
  /** UTC offset (minutes) printed by ISO 8601 hosts; RFC 3164 hosts print UTC. */
  offsetMin: number;
  /** sshd LogLevel VERBOSE. */
  verbose: boolean;
  /** Clock error added to every printed time (ms). */
  skewMs: number;
  logindPid: number;
  /** Last pid handed out. */
  pid: number;
  pidMax: number;
  /** Last logind session id. */
  session: number;
  /** Minute of the hourly cron job. */
  cronMinute: number;
}

/** An SSH key: type and SHA256 fingerprint, valid from a day on. */
export interface SimKey {
  fromDay: number;
  type: string;
  fp: string;
}

/** A value that changes on given days (`fromDay` ascending; the first entry has fromDay <= 0). */
export interface Dated<T> {
  fromDay: number;
  value: T;
}

/** Office: time zone and workstation subnet. */
export interface Office {
  name: string;
  tz: number;
  subnet: string;
}

/** Human user role: which hosts and habits. */
export type UserRole = 'dev' | 'ops' | 'dba' | 'data' | 'support';

/** One human user. */
export interface SimUser {
  index: number;
  name: string;
  uid: number;
  role: UserRole;
  office: Office;
  /** UTC offset in hours (may be fractional). */
  tz: number;
  /** Local start of the working day (hours) and its length. */
  workStart: number;
  workLen: number;
  /** Chance of working on a given weekend day. */
  weekendProb: number;
  /** Mean logins per working day. */
  sessionsPerDay: number;
  hosts: number[];
  hostWeights: number[];
  /** Legitimate novelty: a new host joins the usual set on a day. */
  newHost: { fromDay: number; host: number } | null;
  method: 'publickey' | 'password';
  keys: SimKey[];
  officeIp: string;
  vpnIps: Dated<string>[];
  homeIp: string;
  /** Chance a working day is remote; when remote, chance to go through a bastion instead of VPN. */
  remoteProb: number;
  bastionProb: number;
  /** Legitimate travel: days [fromDay, toDay) from a hotel address, time zone shifted. */
  travel: { fromDay: number; toDay: number; ip: string; tzShift: number } | null;
  /** Expected sudo invocations per session (0 = never uses sudo). */
  sudoRate: number;
  /** Chance of one su per session. */
  suRate: number;
  /** Chance of a password typo per password login. */
  typoRate: number;
  /** Median session length in minutes. */
  sessionMedianMin: number;
  /** Keeps tmux/screen sessions open for days. */
  tmux: boolean;
  /** First active day (new hires join later; <= 0 = active from the start). */
  startDay: number;
  /** No activity at all (set for accounts used by the dormant-account scenario). */
  dormant: boolean;
  /** Reserved by an attack scenario that needs "never does X" to stay true. */
  reserved: boolean;
}

/** A service account with a fixed source and schedule. */
export interface SimService {
  name: string;
  uid: number;
  kind: 'config' | 'monitor' | 'backup' | 'deploy';
  source: number;
  targets: number[];
  /** Minutes between runs (per target), or 0 for the daily/working-hour schedules. */
  intervalMin: number;
  key: SimKey;
}

/** The whole organisation. */
export interface World {
  hosts: SimHost[];
  users: SimUser[];
  services: SimService[];
  offices: Office[];
  bastions: number[];
  exposed: number[];
  byRole: Record<HostRole, number[]>;
  /** Host indices named by role (first of each). */
  mgmt: number;
  backupHost: number;
  buildHost: number;
}

const FIRST = [
  'alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'nina', 'oscar',
  'peggy', 'rupert', 'sybil', 'trent', 'ursula', 'victor', 'wendy', 'xavier', 'yara', 'zoe', 'amit', 'bella',
  'chen', 'diego', 'elena', 'farid', 'gita', 'hugo', 'ines', 'jonas', 'kenji', 'lena', 'marco', 'noor', 'olga',
  'priya', 'quinn', 'rosa', 'sven', 'tara', 'umar', 'vera', 'wei', 'yusuf', 'zara', 'anna', 'ben', 'clara',
  'deepak', 'emma', 'felix', 'hana', 'igor', 'jamal', 'kofi', 'lucas', 'maya', 'nils', 'omar', 'paula', 'raj',
];
const LAST = [
  'smith', 'jones', 'khan', 'mueller', 'garcia', 'rossi', 'dubois', 'novak', 'tanaka', 'kim', 'nguyen', 'patel',
  'silva', 'costa', 'berg', 'larsen', 'ivanova', 'cohen', 'murphy', 'walsh', 'fischer', 'weber', 'meyer', 'wagner',
  'becker', 'hoffmann', 'schulz', 'koch', 'richter', 'klein', 'wolf', 'neumann', 'schwarz', 'braun', 'zimmer',
  'kruger', 'hartmann', 'lange', 'werner', 'krause', 'lehmann', 'kaiser', 'fuchs', 'peters', 'scott', 'reed',
  'cook', 'bell', 'ward', 'hayes', 'price', 'bennett', 'wood', 'barnes', 'ross', 'henry', 'cole', 'west', 'jordan',
];

/** Public address blocks (first octets) for residential/hotel users and for internet scanners/attackers. */
const HOME_OCTETS = [24, 31, 37, 46, 62, 73, 77, 78, 80, 81, 82, 84, 86, 88, 89, 90, 91, 92, 93, 94, 95, 98, 99, 108, 109, 151, 176, 178, 188, 212, 213, 217];
const SCAN_OCTETS = [45, 61, 101, 103, 106, 110, 112, 114, 116, 117, 118, 119, 121, 122, 139, 141, 154, 159, 161, 162, 164, 165, 167, 170, 175, 179, 180, 181, 183, 185, 186, 187, 190, 193, 194, 195, 196, 197, 200, 201, 202, 203, 206, 209, 210, 211, 218, 219, 220, 221, 222, 223];

/** A random public address from residential-looking blocks. */
export function homeAddress(rng: Rng): string {
  return `${rng.pick(HOME_OCTETS)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

/** A random public address from blocks typical of scanners and attackers. */
export function scanAddress(rng: Rng): string {
  return `${rng.pick(SCAN_OCTETS)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

/** A new SSH key of the given type. */
export function makeKey(rng: Rng, type: string, fromDay: number): SimKey {
  return { fromDay, type, fp: 'SHA256:' + rng.base64(43) };
}

function hostName(role: HostRole, n: number): string {
  const p = role === 'workstation' ? 'ws' : role;
  return `${p}-${String(n).padStart(role === 'workstation' ? 3 : 2, '0')}`;
}

const ROLE_SHARE: readonly [HostRole, number][] = [
  ['web', 0.18], ['app', 0.24], ['db', 0.14], ['build', 0.05], ['hpc', 0.06], ['workstation', 0.3],
];

/** Builds the organisation deterministically from the options. */
export function buildWorld(o: ResolvedSimulateOptions): World {
  const rng = new Rng(o.seed, 0x3011d);
  const roles: HostRole[] = [];
  const nBastion = Math.max(1, Math.round(o.hosts * 0.03));
  for (let i = 0; i < nBastion; i++) roles.push('bastion');
  roles.push('mgmt', 'backup');
  const rest = Math.max(0, o.hosts - roles.length);
  const counts = ROLE_SHARE.map(([, s]) => Math.floor(rest * s));
  let left = rest - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0; i = (i + 1) % counts.length, left--) counts[i]++;
  ROLE_SHARE.forEach(([r], i) => {
    for (let k = 0; k < counts[i]; k++) roles.push(r);
  });
  roles.length = o.hosts;
  const byRole = { bastion: [], web: [], app: [], db: [], build: [], mgmt: [], backup: [], hpc: [], workstation: [] } as Record<HostRole, number[]>;
  const envW = [o.envelopes.rfc3164, o.envelopes.iso8601];
  const hosts: SimHost[] = roles.map((role, index) => {
    byRole[role].push(index);
    const distro = DISTROS[rng.weighted(DISTROS.map((x) => x.w))].d;
    const envelope: SimEnvelope = rng.weighted(envW) === 0 ? 'rfc3164' : 'iso8601';
    const skewed = rng.chance(o.clockSkew.skewedFraction);
    const skewMs = Math.round((skewed ? rng.range(-1, 1) * o.clockSkew.maxMs : rng.range(-1, 1) * o.clockSkew.baseMs));
    const pidMax = distro.ssh < 80 ? 32768 : 4194304;
    return {
      index,
      name: hostName(role, byRole[role].length),
      role,
      ip: `10.1.${Math.floor(index / 250)}.${(index % 250) + 2}`,
      exposed: role === 'bastion',
      distro,
      envelope,
      offsetMin: envelope === 'iso8601' && rng.chance(0.25) ? rng.pick([60, -300, 330, 120]) : 0,
      verbose: rng.chance(o.verboseFraction),
      skewMs,
      logindPid: rng.int(400, 1400),
      pid: rng.int(2000, Math.min(pidMax - 1000, 30000)),
      pidMax,
      session: rng.int(1, 5000),
      cronMinute: 17,
    };
  });
  // A few web servers have sshd open to the internet too (a common, sloppy reality).
  for (const w of byRole.web) if (rng.chance(0.15)) hosts[w].exposed = true;
  const exposed = hosts.filter((h) => h.exposed).map((h) => h.index);
  const mgmt = byRole.mgmt[0] ?? 0;
  const backupHost = byRole.backup[0] ?? mgmt;
  const buildHost = byRole.build[0] ?? mgmt;

  const offices: Office[] = [
    { name: 'berlin', tz: 1, subnet: '10.20' },
    { name: 'newyork', tz: -5, subnet: '10.30' },
    { name: 'bangalore', tz: 5.5, subnet: '10.40' },
  ];
  const totalDays = o.historyDays + o.testDays;
  const pool = (...rs: HostRole[]): number[] => rs.flatMap((r) => byRole[r]);
  const servers = pool('web', 'app', 'db', 'build', 'hpc');
  const names = new Set<string>();
  const users: SimUser[] = [];
  for (let i = 0; i < o.users; i++) {
    let name = rng.pick(FIRST).charAt(0) + rng.pick(LAST);
    if (rng.chance(0.3)) name = rng.pick(FIRST);
    while (names.has(name)) name = name.replace(/\d+$/, '') + rng.int(2, 99);
    names.add(name);
    const role: UserRole = (['dev', 'dev', 'dev', 'ops', 'dba', 'data', 'support'] as const)[rng.int(0, 6)];
    const office = offices[rng.weighted([0.5, 0.3, 0.2])];
    const tz = office.tz;
    const candidates =
      role === 'ops' ? servers.concat(byRole.bastion, byRole.mgmt, byRole.backup)
      : role === 'dba' ? pool('db', 'app')
      : role === 'data' ? pool('hpc', 'db')
      : role === 'support' ? pool('web', 'app')
      : pool('app', 'web', 'build', 'db');
    const fallback = candidates.length > 0 ? candidates : servers.length > 0 ? servers : [0];
    const nHosts = Math.min(fallback.length, role === 'ops' ? rng.int(6, 20) : role === 'support' ? rng.int(1, 3) : rng.int(2, 7));
    const hs = new Set<number>();
    while (hs.size < nHosts) hs.add(rng.pick(fallback));
    const ws = byRole.workstation;
    if (ws.length > 0 && rng.chance(0.4)) hs.add(ws[i % ws.length]);
    const hostsOf = [...hs];
    const hostWeights = hostsOf.map((_, k) => 1 / (k + 1));
    const outside = fallback.filter((h) => !hs.has(h));
    const method = rng.chance(role === 'support' ? 0.6 : 0.15) ? 'password' : 'publickey';
    const keyType = rng.pick(['ED25519', 'ED25519', 'RSA', 'ECDSA']);
    const keys = [makeKey(rng, keyType, -100000)];
    if (rng.chance(0.06)) keys.push(makeKey(rng, 'ED25519', rng.int(1, totalDays - 1)));
    const vpnIps: Dated<string>[] = [{ fromDay: -100000, value: `10.8.${rng.int(0, 63)}.${rng.int(2, 254)}` }];
    if (rng.chance(0.1)) vpnIps.push({ fromDay: rng.int(1, totalDays - 1), value: `10.8.${rng.int(64, 127)}.${rng.int(2, 254)}` });
    const travelStart = rng.int(1, Math.max(1, totalDays - 3));
    const startDay = rng.chance(0.02) ? rng.int(1, totalDays - 1) : -100000;
    users.push({
      index: i,
      name,
      uid: 1000 + i + 1,
      role,
      office,
      tz,
      workStart: rng.range(7, 10.5),
      workLen: rng.range(7, 10),
      weekendProb: role === 'ops' ? 0.25 : 0.06,
      sessionsPerDay: role === 'ops' ? rng.range(6, 14) : role === 'support' ? rng.range(1, 4) : rng.range(2, 8),
      hosts: hostsOf,
      hostWeights,
      newHost: outside.length > 0 && rng.chance(0.12) ? { fromDay: rng.int(1, totalDays - 1), host: rng.pick(outside) } : null,
      method,
      keys,
      officeIp: `${office.subnet}.${rng.int(0, 31)}.${rng.int(2, 254)}`,
      vpnIps,
      homeIp: homeAddress(rng),
      remoteProb: rng.range(0.1, 0.6),
      bastionProb: exposed.length > 0 ? rng.range(0, 0.5) : 0,
      travel: rng.chance(0.04) ? { fromDay: travelStart, toDay: travelStart + rng.int(2, 5), ip: homeAddress(rng), tzShift: rng.pick([-6, -3, 3, 6, 8]) } : null,
      sudoRate: role === 'ops' ? rng.range(1, 5) : role === 'dba' ? rng.range(0.3, 2) : rng.chance(0.4) ? 0 : rng.range(0.05, 0.5),
      suRate: role === 'ops' || role === 'dba' ? rng.range(0, 0.08) : 0,
      typoRate: rng.range(0.02, 0.12),
      sessionMedianMin: rng.range(5, 60),
      tmux: role === 'data' || (role === 'ops' && rng.chance(0.2)),
      startDay,
      dormant: false,
      reserved: false,
    });
  }
  // Guarantee some legitimate novelty inside the test period, so that "new" is not the same as "bad":
  // a new hire, a trip, a key rotation, a VPN re-assignment and a new host for existing users.
  if (users.length >= 10) {
    const testDay = (): number => o.historyDays + rng.int(0, Math.max(0, o.testDays - 1));
    const pickU = (): SimUser => users[rng.int(0, users.length - 1)];
    pickU().startDay = testDay();
    const trav = pickU();
    const from = testDay();
    trav.travel = { fromDay: from, toDay: from + rng.int(1, 3), ip: homeAddress(rng), tzShift: rng.pick([-6, 3, 8]) };
    const find = (ok: (u: SimUser) => boolean): SimUser | null => {
      for (let i = 0; i < 200; i++) {
        const u = pickU();
        if (ok(u)) return u;
      }
      return null;
    };
    const rot = find((u) => u.method === 'publickey' && u.keys.length === 1);
    if (rot) rot.keys.push(makeKey(rng, 'ED25519', testDay()));
    const vpn = find((u) => u.vpnIps.length === 1);
    if (vpn) vpn.vpnIps.push({ fromDay: testDay(), value: `10.8.${rng.int(64, 127)}.${rng.int(2, 254)}` });
    const nh = find((u) => u.newHost === null && servers.some((h) => !u.hosts.includes(h)));
    if (nh) nh.newHost = { fromDay: testDay(), host: rng.pick(servers.filter((h) => !nh.hosts.includes(h))) };
  }
  const allHosts = hosts.map((h) => h.index);
  const svc = (name: string, uid: number, kind: SimService['kind'], source: number, targets: number[], intervalMin: number): SimService => ({
    name, uid, kind, source, targets: targets.filter((t) => t !== source), intervalMin, key: makeKey(rng, 'ED25519', -100000),
  });
  const services: SimService[] = [
    svc('ansible', 990, 'config', mgmt, allHosts, 240),
    svc('nagios', 991, 'monitor', mgmt, allHosts, 60),
    svc('backup', 992, 'backup', backupHost, byRole.db.length > 0 ? byRole.db : allHosts.slice(0, 3), 0),
    svc('deploy', 993, 'deploy', buildHost, pool('web', 'app').length > 0 ? pool('web', 'app') : allHosts.slice(0, 3), 0),
  ];
  return { hosts, users, services, offices, bastions: byRole.bastion, exposed, byRole, mgmt, backupHost, buildHost };
}

/** The value of a dated list on a day. */
export function datedValue<T>(list: readonly Dated<T>[], day: number): T {
  let v = list[0].value;
  for (const x of list) if (x.fromDay <= day) v = x.value;
  return v;
}

/** The key a user uses on a day. */
export function keyOn(u: SimUser, day: number): SimKey {
  let k = u.keys[0];
  for (const x of u.keys) if (x.fromDay <= day) k = x;
  return k;
}

/** Deterministic per-user per-day decision in [0,1) (same for every hour of the day). */
export function dayDraw(seed: number, user: number, day: number, what: number): number {
  return hashFloat(seed, user, day, what);
}

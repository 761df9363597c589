/**
 * Attack scenarios: each builds the labelled specs of one instance, placed in the test period. Scenarios choose
 * their victims at set-up time and mark them (`dormant`, `reserved`) so normal behaviour stays consistent with
 * the story (a dormant account never logs in during history; the off-hours sudo user never uses sudo).
 *
 * @module
 */
import { NormalPlanner, sshSpec, INTERNET_USERS } from './normal.js';
import type { ResolvedSimulateOptions, ScenarioName } from './options.js';
import { SCENARIO_NAMES } from './options.js';
import { Rng } from './rng.js';
import type { Spec, SshSpec, SudoSpec, Truth } from './spec.js';
import { keyOn, makeKey, scanAddress, homeAddress, type SimUser, type World } from './world.js';

const HOUR = 3_600_000;
const MIN = 60_000;
const DAY = 24 * HOUR;

/** One injected scenario instance (summary). */
export interface ScenarioInstance {
  /** Instance id, e.g. `brute_force#1`. */
  id: string;
  scenario: ScenarioName;
  /** First event's true start (epoch ms). */
  start: number;
  /** Victim/actor account names. */
  users: string[];
  /** Host names touched. */
  hosts: string[];
  /** Source addresses used. */
  sources: string[];
  /** Number of login specs (ssh connections, sudo, su) of the instance. */
  events: number;
}

interface Ctx {
  world: World;
  rng: Rng;
  o: ResolvedSimulateOptions;
  testStart: number;
  testEnd: number;
  normal: NormalPlanner;
  used: Set<number>;
}

function truthOf(id: string, scenario: string): Truth {
  return { label: 1, scenario, actor: 'attacker', incident: id };
}

/** A time in the test period at a given local hour range of a time zone, leaving `marginMs` before the end. */
function testTime(c: Ctx, tz: number, fromLocal: number, toLocal: number, marginMs = 6 * HOUR): number {
  const days = Math.max(1, Math.floor((c.testEnd - c.testStart - marginMs) / DAY));
  for (let tries = 0; tries < 50; tries++) {
    const day = c.rng.int(0, days - 1);
    const localH = c.rng.range(fromLocal, toLocal);
    let t = c.testStart + day * DAY + Math.floor((localH - tz) * HOUR);
    while (t < c.testStart) t += DAY;
    if (t + marginMs < c.testEnd) return t;
  }
  return c.testStart + c.rng.int(0, Math.max(1, c.testEnd - c.testStart - marginMs - 1));
}

function workTime(c: Ctx, u: SimUser): number {
  for (let tries = 0; tries < 50; tries++) {
    const t = testTime(c, u.tz, u.workStart, u.workStart + u.workLen - 1);
    const wd = (Math.floor((t + u.tz * HOUR) / DAY) + 4) % 7;
    if (wd !== 0 && wd !== 6) return t;
  }
  return testTime(c, u.tz, u.workStart, u.workStart + u.workLen - 1);
}

/** Picks an active human user not used by another scenario yet, optionally matching a predicate. */
function pickUser(c: Ctx, pred: (u: SimUser) => boolean = () => true): SimUser {
  const us = c.world.users;
  for (let tries = 0; tries < 400; tries++) {
    const u = us[c.rng.int(0, us.length - 1)];
    if (!c.used.has(u.index) && !u.dormant && u.startDay <= 0 && pred(u)) {
      c.used.add(u.index);
      return u;
    }
  }
  for (const u of us) if (!u.dormant && pred(u)) return u;
  return us[c.rng.int(0, us.length - 1)];
}

function exposedHost(c: Ctx): number {
  const w = c.world;
  return w.exposed.length > 0 ? c.rng.pick(w.exposed) : c.rng.pick(w.bastions.length > 0 ? w.bastions : [0]);
}

function rootSudo(c: Ctx, t: Truth, u: string, offsetMs: number, cmd = '/bin/bash'): SudoSpec {
  return { offsetMs, target: 'root', command: cmd, pwd: `/home/${u}`, failures: 0, success: true, notInSudoers: false, durationMs: c.rng.int(60_000, 1_800_000), truth: t };
}

/** Builds all scenario instances; returns their specs (sorted by time) and a summary per instance. */
export function buildScenarios(world: World, o: ResolvedSimulateOptions, normal: NormalPlanner): { specs: Spec[]; instances: ScenarioInstance[] } {
  const testStart = o.start + o.historyDays * DAY;
  const testEnd = testStart + o.testDays * DAY;
  const c: Ctx = { world, rng: new Rng(o.seed, 0xa77ac), o, testStart, testEnd, normal, used: new Set() };
  const specs: Spec[] = [];
  const instances: ScenarioInstance[] = [];
  // Mark the accounts first so normal behaviour matches the stories (dormant, never-sudo).
  for (const name of SCENARIO_NAMES) {
    for (let i = 1; i <= o.scenarios[name]; i++) {
      const id = `${name}#${i}`;
      const mine = BUILDERS[name](c, id);
      if (mine.length === 0) continue;
      mine.sort((a, b) => a.t - b.t);
      const users = new Set<string>(), hosts = new Set<string>(), sources = new Set<string>();
      let events = 0;
      for (const s of mine) {
        hosts.add(world.hosts[s.host].name);
        if (s.type === 'ssh') {
          users.add(s.user);
          sources.add(s.source);
          events += 1 + s.sudo.length + s.su.length;
        } else if (s.type === 'sudo') {
          users.add(s.user);
          events++;
        }
      }
      instances.push({ id, scenario: name, start: mine[0].t, users: [...users], hosts: [...hosts], sources: [...sources], events });
      for (const s of mine) specs.push(s);
    }
  }
  specs.sort((a, b) => a.t - b.t);
  return { specs, instances };
}

type Builder = (c: Ctx, id: string) => Spec[];

const BUILDERS: Record<ScenarioName, Builder> = {
  brute_force(c, id) {
    const tr = truthOf(id, 'brute_force');
    const host = exposedHost(c);
    const u = pickUser(c);
    const src = scanAddress(c.rng);
    let t = testTime(c, 0, 0, 24);
    const out: Spec[] = [];
    const n = c.rng.int(15, 60);
    for (let i = 0; i < n; i++) {
      out.push(sshSpec(c.rng, { t, host, user: u.name, uid: u.uid, source: src, method: 'password', failures: 6, success: false, maxAttempts: true, truth: tr }));
      t += c.rng.int(15_000, 40_000);
    }
    out.push(sshSpec(c.rng, {
      t, host, user: u.name, uid: u.uid, source: src, method: 'password', failures: c.rng.int(0, 3), durationMs: c.rng.int(2 * MIN, 40 * MIN),
      sudo: u.sudoRate > 0 ? [rootSudo(c, tr, u.name, 45_000, '/usr/bin/id')] : [], truth: tr,
    }));
    return out;
  },
  spray_fast(c, id) {
    const tr = truthOf(id, 'spray_fast');
    const host = exposedHost(c);
    const src = scanAddress(c.rng);
    let t = testTime(c, 0, 0, 24);
    const out: Spec[] = [];
    const n = c.rng.int(15, 40);
    const win = c.rng.int(0, n - 1);
    const success = c.rng.chance(0.5);
    for (let i = 0; i < n; i++) {
      const real = c.rng.chance(0.6);
      const u = real ? c.world.users[c.rng.int(0, c.world.users.length - 1)] : null;
      const name = u ? u.name : c.rng.pick(INTERNET_USERS);
      const ok = success && i === win && u !== null;
      out.push(sshSpec(c.rng, { t, host, user: name, uid: u ? u.uid : 0, source: src, valid: u !== null, method: 'password', failures: ok ? 0 : 1, success: ok, durationMs: c.rng.int(MIN, 10 * MIN), truth: tr }));
      t += c.rng.int(2000, 12_000);
    }
    return out;
  },
  spray_slow(c, id) {
    const tr = truthOf(id, 'spray_slow');
    const host = exposedHost(c);
    const srcs = Array.from({ length: c.rng.int(3, 8) }, () => scanAddress(c.rng));
    let t = testTime(c, 0, 0, 24, Math.min(3 * DAY, Math.floor((c.testEnd - c.testStart) / 2)));
    const until = Math.min(c.testEnd - HOUR, t + c.rng.int(1, 3) * DAY);
    const out: Spec[] = [];
    const success = c.rng.chance(0.5);
    while (t < until) {
      const real = c.rng.chance(0.6);
      const u = real ? c.world.users[c.rng.int(0, c.world.users.length - 1)] : null;
      out.push(sshSpec(c.rng, { t, host, user: u ? u.name : c.rng.pick(INTERNET_USERS), uid: u ? u.uid : 0, source: c.rng.pick(srcs), valid: u !== null, method: 'password', failures: 1, success: false, truth: tr }));
      t += c.rng.int(20 * MIN, 120 * MIN);
    }
    if (success) {
      const u = pickUser(c);
      out.push(sshSpec(c.rng, { t: Math.min(t, c.testEnd - HOUR), host, user: u.name, uid: u.uid, source: c.rng.pick(srcs), method: 'password', durationMs: c.rng.int(MIN, 20 * MIN), truth: tr }));
    }
    return out;
  },
  stolen_credentials(c, id) {
    const tr = truthOf(id, 'stolen_credentials');
    const u = pickUser(c, (x) => x.hosts.length > 0);
    const t = testTime(c, u.tz, 1.5, 5);
    const host = c.world.exposed.length > 0 && c.rng.chance(0.6) ? exposedHost(c) : c.rng.pick(u.hosts);
    const sudo = u.sudoRate > 0 ? [rootSudo(c, tr, u.name, c.rng.int(30_000, 300_000), '/usr/bin/cat /etc/shadow')] : [];
    return [sshSpec(c.rng, { t, host, user: u.name, uid: u.uid, source: homeAddress(c.rng), method: 'password', durationMs: c.rng.int(5 * MIN, 90 * MIN), sudo, truth: tr })];
  },
  lateral_movement(c, id) {
    const tr = truthOf(id, 'lateral_movement');
    const u = pickUser(c, (x) => x.method === 'publickey');
    const w = c.world;
    const pivot = c.rng.pick(u.hosts);
    const src = w.hosts[pivot].ip;
    let t = workTime(c, u);
    const out: Spec[] = [];
    const n = Math.min(w.hosts.length - 1, c.rng.int(8, 25));
    const targets = new Set<number>();
    while (targets.size < n) {
      const h = c.rng.int(0, w.hosts.length - 1);
      if (h !== pivot) targets.add(h);
    }
    for (const h of targets) {
      const denied = c.rng.chance(0.2);
      out.push(sshSpec(c.rng, {
        t, host: h, user: u.name, uid: u.uid, source: src, method: denied ? 'password' : 'publickey', key: keyOn(u, 9999),
        failures: denied ? c.rng.int(1, 3) : 0, success: !denied, durationMs: c.rng.int(5_000, 120_000), tty: c.rng.chance(0.3), truth: tr,
      }));
      t += c.rng.int(10_000, 150_000);
    }
    return out;
  },
  service_misuse(c, id) {
    const tr = truthOf(id, 'service_misuse');
    const w = c.world;
    const svc = c.rng.pick(w.services.filter((s) => s.kind === 'deploy' || s.kind === 'backup'));
    const host = c.rng.pick(svc.targets.length > 0 ? svc.targets : [0]);
    const human = c.rng.pick(w.users);
    const external = c.rng.chance(0.5);
    const src = external ? homeAddress(c.rng) : human.officeIp;
    const t = testTime(c, 1, 0, 24);
    const sudo: SudoSpec[] = c.rng.chance(0.7) ? [rootSudo(c, tr, svc.name, c.rng.int(20_000, 200_000), '/bin/bash')] : [];
    const pw = c.rng.chance(0.6);
    return [sshSpec(c.rng, {
      t, host, user: svc.name, uid: svc.uid, source: src, method: pw ? 'password' : 'publickey', key: pw ? null : svc.key,
      failures: pw ? c.rng.int(0, 2) : 0, durationMs: c.rng.int(10 * MIN, 3 * HOUR), tty: true, sudo, truth: tr,
    })];
  },
  root_login(c, id) {
    const tr = truthOf(id, 'root_login');
    const w = c.world;
    const host = c.rng.int(0, w.hosts.length - 1);
    const external = w.hosts[host].exposed;
    const src = external ? scanAddress(c.rng) : `10.30.${c.rng.int(0, 31)}.${c.rng.int(2, 254)}`;
    const t = testTime(c, 0, 0, 24);
    return [sshSpec(c.rng, { t, host, user: 'root', uid: 0, source: src, method: 'password', failures: c.rng.int(0, 2), durationMs: c.rng.int(2 * MIN, 60 * MIN), truth: tr })];
  },
  new_key(c, id) {
    const tr = truthOf(id, 'new_key');
    const u = pickUser(c, (x) => x.method === 'publickey' && x.keys.length === 1);
    const t = workTime(c, u);
    const key = makeKey(c.rng, c.rng.pick(['RSA', 'ECDSA', 'ED25519']), 0);
    const host = c.rng.pick(u.hosts);
    return [sshSpec(c.rng, { t, host, user: u.name, uid: u.uid, source: u.officeIp, method: 'publickey', key, durationMs: c.rng.int(MIN, 60 * MIN), truth: tr })];
  },
  dormant_account(c, id) {
    const tr = truthOf(id, 'dormant_account');
    const u = pickUser(c);
    u.dormant = true;
    const out: Spec[] = [];
    let t = testTime(c, u.tz, 0, 24, 12 * HOUR);
    const src = c.rng.chance(0.5) ? homeAddress(c.rng) : `10.8.${c.rng.int(128, 191)}.${c.rng.int(2, 254)}`;
    const n = c.rng.int(1, 4);
    for (let i = 0; i < n; i++) {
      const host = c.rng.pick(u.hosts);
      out.push(sshSpec(c.rng, { t, host, user: u.name, uid: u.uid, source: src, method: u.method, key: u.method === 'publickey' ? keyOn(u, 0) : null, durationMs: c.rng.int(2 * MIN, 45 * MIN), truth: tr }));
      t += c.rng.int(5 * MIN, 3 * HOUR);
    }
    return out;
  },
  offhours_sudo(c, id) {
    const tr = truthOf(id, 'offhours_sudo');
    const u = pickUser(c, (x) => x.sudoRate === 0);
    u.reserved = true;
    const t = testTime(c, u.tz, 0.5, 4.5);
    const host = c.rng.pick(u.hosts);
    const src = datedValue0(u);
    const notIn = c.rng.chance(0.3);
    const sudo: SudoSpec[] = [{
      offsetMs: c.rng.int(20_000, 200_000), target: 'root', command: c.rng.pick(['/bin/bash', '/usr/bin/su -', '/bin/sh', '/usr/bin/passwd root']), pwd: `/home/${u.name}`,
      failures: c.rng.int(0, 1), success: !notIn, notInSudoers: notIn, durationMs: c.rng.int(MIN, 30 * MIN), truth: tr,
    }];
    return [sshSpec(c.rng, { t, host, user: u.name, uid: u.uid, source: src, method: u.method, key: u.method === 'publickey' ? keyOn(u, 9999) : null, durationMs: c.rng.int(10 * MIN, 60 * MIN), sudo, truth: tr })];
  },
  long_session(c, id) {
    const tr = truthOf(id, 'long_session');
    const u = pickUser(c, (x) => !x.tmux);
    const t = testTime(c, u.tz, u.workStart, u.workStart + 3, c.o.testDays >= 2 ? DAY : 0);
    const host = c.rng.pick(u.hosts);
    return [sshSpec(c.rng, { t, host, user: u.name, uid: u.uid, source: u.officeIp, method: u.method, key: u.method === 'publickey' ? keyOn(u, 9999) : null, durationMs: c.rng.int(2 * DAY, 6 * DAY), truth: tr })];
  },
};

function datedValue0(u: SimUser): string {
  return u.vpnIps[0].value;
}

/** The spec list type guard for ssh specs. */
export function isSsh(s: Spec): s is SshSpec {
  return s.type === 'ssh';
}

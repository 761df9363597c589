/**
 * Normal behaviour planner: for one hour, the logins of human users (schedules, usual hosts and sources, typos,
 * sudo/su habits, legitimate novelty), the service accounts' schedules, internet background noise on exposed hosts
 * and unrelated syslog lines.
 *
 * @module
 */
import { Rng, hashFloat, hashInts } from './rng.js';
import type { NoiseSpec, ProbeSpec, SshSpec, Spec, SudoSpec, SuSpec, Truth } from './spec.js';
import { datedValue, keyOn, scanAddress, type SimKey, type SimService, type SimUser, type World } from './world.js';

const HOUR = 3_600_000;
const MIN = 60_000;

/** Truth tags of normal activity. */
export const NORMAL_USER: Truth = { label: 0, scenario: 'normal', actor: 'user', incident: null };
/** Truth tag of service-account activity. */
export const NORMAL_SERVICE: Truth = { label: 0, scenario: 'normal', actor: 'service', incident: null };
/** Truth tag of internet background noise. */
export const NORMAL_INTERNET: Truth = { label: 0, scenario: 'normal', actor: 'internet', incident: null };

/** Parameters of an ssh spec; unspecified fields get the usual defaults. */
export interface SshInit {
  t: number;
  host: number;
  user: string;
  uid: number;
  source: string;
  port?: number;
  valid?: boolean;
  method?: 'publickey' | 'password';
  key?: SimKey | null;
  failures?: number;
  success?: boolean;
  maxAttempts?: boolean;
  durationMs?: number;
  endKind?: 'disconnect' | 'timeout' | 'reset';
  tty?: boolean;
  sudo?: SudoSpec[];
  su?: SuSpec[];
  truth: Truth;
}

/** Builds an {@link SshSpec}. */
export function sshSpec(rng: Rng, x: SshInit): SshSpec {
  return {
    type: 'ssh',
    t: x.t,
    host: x.host,
    user: x.user,
    uid: x.uid,
    source: x.source,
    port: x.port ?? rng.int(32768, 60999),
    valid: x.valid ?? true,
    method: x.method ?? 'publickey',
    key: x.key ?? null,
    failures: x.failures ?? 0,
    success: x.success ?? true,
    maxAttempts: x.maxAttempts ?? false,
    durationMs: x.durationMs ?? 60_000,
    endKind: x.endKind ?? 'disconnect',
    tty: x.tty ?? true,
    sudo: x.sudo ?? [],
    su: x.su ?? [],
    truth: x.truth,
  };
}

const SUDO_CMDS: Record<string, readonly string[]> = {
  ops: ['/usr/bin/systemctl restart nginx', '/usr/bin/journalctl -u app -n 200', '/usr/bin/apt-get update', '/usr/bin/apt-get upgrade -y', '/usr/bin/vim /etc/nginx/nginx.conf', '/bin/systemctl status sshd', '/usr/bin/docker ps', '/usr/sbin/reboot', '/usr/bin/tail -f /var/log/syslog', '/usr/bin/less /var/log/auth.log'],
  dba: ['/usr/bin/systemctl restart postgresql', '/usr/bin/su - postgres', '/usr/bin/tail -n 100 /var/log/postgresql/postgresql-15-main.log', '/usr/bin/du -sh /var/lib/postgresql'],
  dev: ['/usr/bin/docker compose up -d', '/usr/bin/systemctl restart app', '/usr/bin/journalctl -u app -f', '/usr/bin/apt-get install -y jq'],
  data: ['/usr/bin/nvidia-smi', '/usr/bin/mount /data', '/usr/bin/systemctl restart slurmd'],
  support: ['/usr/bin/journalctl -u app -n 50', '/usr/bin/systemctl status app'],
};

/** Per-run planning context. */
export class NormalPlanner {
  private readonly persistentScanners: string[] = [];
  private readonly testStartDay: number;

  constructor(
    private readonly world: World,
    private readonly seed: number,
    private readonly t0: number,
    historyDays: number,
    private readonly noisePerHour: number,
  ) {
    const rng = new Rng(seed, 0x5ca9);
    for (let i = 0; i < 40; i++) this.persistentScanners.push(scanAddress(rng));
    this.testStartDay = historyDays;
  }

  /** Appends the normal specs of hour `h` to `out`. */
  plan(h: number, rng: Rng, out: Spec[]): void {
    const T = this.t0 + h * HOUR;
    for (const u of this.world.users) this.planUser(u, T, rng, out);
    for (const s of this.world.services) this.planService(s, h, T, rng, out);
    this.planNoise(T, rng, out);
  }

  private planUser(u: SimUser, T: number, rng: Rng, out: Spec[]): void {
    if (u.dormant) return;
    const day = Math.floor((T - this.t0) / (24 * HOUR));
    if (day < u.startDay) return;
    const travelling = u.travel !== null && day >= u.travel.fromDay && day < u.travel.toDay;
    const tz = u.tz + (travelling && u.travel ? u.travel.tzShift : 0);
    const local = T + tz * HOUR;
    const localHour = ((local / HOUR) % 24 + 24) % 24;
    const localDay = Math.floor(local / (24 * HOUR));
    const weekday = (localDay + 4) % 7; // 1970-01-01 was a Thursday (4); 0 = Sunday
    const working = localHour >= u.workStart && localHour < u.workStart + u.workLen;
    let rate: number;
    if (weekday === 0 || weekday === 6) {
      rate = working && hashFloat(this.seed, u.index, localDay, 7) < u.weekendProb ? (0.4 * u.sessionsPerDay) / u.workLen : 0.002;
    } else {
      rate = working ? u.sessionsPerDay / u.workLen : u.role === 'ops' ? 0.03 : localHour >= 19 && localHour < 23 ? 0.01 : 0.002;
    }
    if (travelling) rate *= 0.5;
    const n = rng.poisson(rate);
    for (let i = 0; i < n; i++) this.userSession(u, T + rng.int(0, HOUR - 1), day, localDay, travelling, rng, out);
  }

  private pickHost(u: SimUser, day: number, rng: Rng): number {
    if (u.newHost !== null && day >= u.newHost.fromDay && rng.chance(0.3)) return u.newHost.host;
    return u.hosts[rng.weighted(u.hostWeights)];
  }

  private userSession(u: SimUser, t: number, day: number, localDay: number, travelling: boolean, rng: Rng, out: Spec[]): void {
    const w = this.world;
    const host = this.pickHost(u, day, rng);
    let where: 'office' | 'vpn' | 'bastion' = 'office';
    if (travelling) where = w.bastions.length > 0 ? 'bastion' : 'vpn';
    else if (hashFloat(this.seed, u.index, localDay, 1) < u.remoteProb) {
      where = hashFloat(this.seed, u.index, localDay, 2) < u.bastionProb ? 'bastion' : 'vpn';
    }
    const duration = this.duration(u, rng);
    let source = where === 'office' ? u.officeIp : datedValue(u.vpnIps, day);
    if (where === 'bastion') {
      const outside = travelling && u.travel ? u.travel.ip : u.homeIp;
      const b = w.bastions[hashInts(u.index, 3) % w.bastions.length];
      if (host === b) source = outside;
      else {
        source = w.hosts[b].ip;
        out.push(this.session(u, b, outside, t - rng.int(5_000, 120_000), day, duration + rng.int(60_000, 1_800_000), false, rng));
      }
    }
    out.push(this.session(u, host, source, t, day, duration, true, rng));
  }

  private duration(u: SimUser, rng: Rng): number {
    if (u.tmux && rng.chance(0.15)) return Math.floor(rng.range(0.5, 4) * 24 * HOUR);
    const m = rng.logNormal(u.sessionMedianMin, 1.2);
    return Math.max(2000, Math.min(14 * HOUR, Math.floor(m * MIN)));
  }

  /** One normal interactive session of a human user. */
  session(u: SimUser, host: number, source: string, t: number, day: number, durationMs: number, habits: boolean, rng: Rng): SshSpec {
    const password = u.method === 'password';
    let failures = 0;
    let success = true;
    if (password && rng.chance(u.typoRate)) {
      failures = rng.chance(0.8) ? 1 : 2;
      if (rng.chance(0.08)) {
        failures = 3;
        success = false;
      }
    }
    const sudo: SudoSpec[] = [];
    const su: SuSpec[] = [];
    if (habits && success) {
      const ns = u.sudoRate > 0 ? rng.poisson(u.sudoRate) : 0;
      const cmds = SUDO_CMDS[u.role];
      const offsets: number[] = [];
      for (let i = 0; i < ns; i++) offsets.push(rng.int(1000, Math.max(1001, Math.min(durationMs - 500, 8 * HOUR))));
      offsets.sort((a, b) => a - b);
      // one terminal: each sudo starts after the previous one ended, and ends before the session does
      let free = 0;
      for (const o of offsets) {
        const offsetMs = Math.max(o, free);
        const typo = rng.chance(0.04);
        const dur = rng.int(50, 120_000);
        if (offsetMs + dur + (typo ? 6000 : 0) >= durationMs - 200) break;
        free = offsetMs + dur + (typo ? 6000 : 0) + rng.int(1000, 30_000);
        sudo.push({
          offsetMs, target: 'root', command: rng.pick(cmds), pwd: rng.chance(0.7) ? `/home/${u.name}` : '/etc',
          failures: typo ? 1 : 0, success: true, notInSudoers: false, durationMs: dur, truth: NORMAL_USER,
        });
      }
      if (u.suRate > 0 && rng.chance(u.suRate)) {
        su.push({ offsetMs: rng.int(1000, Math.max(1001, durationMs - 500)), target: u.role === 'dba' && rng.chance(0.6) ? 'postgres' : 'root', success: !rng.chance(0.05), durationMs: rng.int(10_000, 1_800_000), truth: NORMAL_USER });
      }
    }
    const r = rng.next();
    return sshSpec(rng, {
      t, host, user: u.name, uid: u.uid, source, method: u.method, key: password ? null : keyOn(u, day), failures, success,
      durationMs, endKind: r < 0.9 ? 'disconnect' : r < 0.97 ? 'timeout' : 'reset', tty: rng.chance(0.85), sudo, su, truth: NORMAL_USER,
    });
  }

  private planService(s: SimService, h: number, T: number, rng: Rng, out: Spec[]): void {
    const w = this.world;
    const src = w.hosts[s.source].ip;
    if (s.intervalMin > 0) {
      const iv = s.intervalMin * MIN;
      for (const target of s.targets) {
        const phase = Math.floor(hashFloat(this.seed, target, s.uid) * iv);
        let k = Math.ceil((T - this.t0 - phase) / iv);
        for (let t = this.t0 + phase + k * iv; t < T + HOUR; k++, t = this.t0 + phase + k * iv) {
          if (t < T) continue;
          const at = t + rng.int(0, 20_000);
          if (s.kind === 'monitor') {
            out.push(sshSpec(rng, { t: at, host: target, user: s.name, uid: s.uid, source: src, key: s.key, durationMs: rng.int(300, 3000), tty: false, truth: NORMAL_SERVICE }));
          } else {
            const sudo: SudoSpec[] = [];
            const n = rng.int(1, 3);
            let next = 1500;
            for (let i = 0; i < n; i++) {
              const dur = rng.int(200, 6000);
              const offsetMs = next;
              next += dur + rng.int(300, 3000);
              sudo.push({
                offsetMs, target: 'root', pwd: '/home/ansible',
                command: `/bin/sh -c echo BECOME-SUCCESS-${rng.hex(32)} ; /usr/bin/python3 /home/ansible/.ansible/tmp/ansible-tmp-${Math.floor(at / 1000)}.${rng.int(100, 999)}-${rng.int(1000, 99999)}-${rng.int(1e9, 9e9)}/AnsiballZ_${rng.pick(['setup', 'apt', 'copy', 'stat', 'systemd', 'file', 'template'])}.py`,
                failures: 0, success: true, notInSudoers: false, durationMs: dur, truth: NORMAL_SERVICE,
              });
            }
            out.push(sshSpec(rng, { t: at, host: target, user: s.name, uid: s.uid, source: src, key: s.key, durationMs: next + rng.int(500, 30_000), tty: false, sudo, truth: NORMAL_SERVICE }));
          }
        }
      }
      return;
    }
    const hourOfDay = h % 24;
    if (s.kind === 'backup') {
      for (const target of s.targets) {
        const phase = Math.floor(hashFloat(this.seed, target, s.uid) * 90 * MIN) + HOUR;
        if (Math.floor(phase / HOUR) !== hourOfDay) continue;
        out.push(sshSpec(rng, { t: T + (phase % HOUR) + rng.int(0, 30_000), host: target, user: s.name, uid: s.uid, source: src, key: s.key, durationMs: rng.int(5 * MIN, 60 * MIN), tty: false, truth: NORMAL_SERVICE }));
      }
      return;
    }
    // deploy: working hours Mon-Fri (UTC 7-17), a release to a group of targets now and then
    const weekday = (Math.floor(T / (24 * HOUR)) + 4) % 7;
    if (weekday === 0 || weekday === 6 || hourOfDay < 7 || hourOfDay > 17 || !rng.chance(0.3)) return;
    const start = T + rng.int(0, 50 * MIN);
    const g = rng.int(0, 2);
    const group = s.targets.filter((_, i) => i % 3 === g);
    for (const target of group.length > 0 ? group : s.targets) {
      const at = start + rng.int(0, 5 * MIN);
      const sudo: SudoSpec[] = [{ offsetMs: rng.int(5000, 20_000), target: 'root', pwd: '/home/deploy', command: '/usr/bin/systemctl restart app', failures: 0, success: true, notInSudoers: false, durationMs: rng.int(500, 5000), truth: NORMAL_SERVICE }];
      out.push(sshSpec(rng, { t: at, host: target, user: s.name, uid: s.uid, source: src, key: s.key, durationMs: rng.int(30_000, 200_000), tty: false, sudo, truth: NORMAL_SERVICE }));
    }
  }

  private planNoise(T: number, rng: Rng, out: Spec[]): void {
    const w = this.world;
    for (const h of w.exposed) {
      const n = rng.poisson(this.noisePerHour);
      for (let i = 0; i < n; i++) {
        const t = T + rng.int(0, HOUR - 1);
        const source = rng.chance(0.3) ? rng.pick(this.persistentScanners) : scanAddress(rng);
        const port = rng.int(1024, 65535);
        const r = rng.next();
        if (r < 0.35) {
          const variant: ProbeSpec['variant'] = r < 0.15 ? 'no_ident' : r < 0.22 ? 'negotiate' : r < 0.27 ? 'bad_banner' : 'closed_preauth';
          out.push({ type: 'probe', t, host: h, source, port, variant });
          continue;
        }
        const root = rng.chance(0.3);
        const user = root ? 'root' : rng.pick(INTERNET_USERS);
        const failures = rng.chance(0.25) ? 6 : rng.int(1, 3);
        out.push(sshSpec(rng, {
          t, host: h, user, uid: 0, source, port, valid: root, method: 'password', failures, success: false,
          maxAttempts: failures === 6, truth: NORMAL_INTERNET,
        }));
      }
      const k = rng.poisson(this.noisePerHour * 0.3);
      for (let i = 0; i < k; i++) out.push({ type: 'noise', t: T + rng.int(0, HOUR - 1), host: h, variant: 'kernel_ufw', source: scanAddress(rng) });
    }
    for (const h of w.hosts) {
      out.push({ type: 'noise', t: T + h.cronMinute * MIN + rng.int(0, 1500), host: h.index, variant: 'cron', source: null } satisfies NoiseSpec);
      if (rng.chance(0.2)) out.push({ type: 'noise', t: T + rng.int(0, HOUR - 1), host: h.index, variant: 'systemd', source: null });
    }
  }
}

/** User names typed by internet scanners. */
export const INTERNET_USERS: readonly string[] = [
  'admin', 'test', 'user', 'ubuntu', 'oracle', 'postgres', 'git', 'pi', 'ftpuser', 'guest', 'support', 'ubnt',
  'mysql', 'hadoop', 'jenkins', 'test1', 'administrator', 'centos', 'www', 'dev', 'tomcat', 'es', 'minecraft',
  'teamspeak', 'user1', 'vagrant', 'demo', 'nagios2', 'steam', 'odoo', 'sol', 'solana', 'validator', '123456',
];

/**
 * The renderer: turns event specs into log lines exactly as the host's OS writes them (OpenSSH 7.4 .. 9.9
 * dialects, INFO/VERBOSE, pam_unix old/new forms, systemd-logind, sudo with/without pid, Debian/RHEL su) in the
 * host's envelope and skewed clock, stamps each line with its collector arrival time, and produces one
 * {@link LabelRow} per login event.
 *
 * @module
 */
import type { LabelRow } from './labels.js';
import type { Rng } from './rng.js';
import type { NoiseSpec, ProbeSpec, SshSpec, Spec, SudoAloneSpec, SudoSpec, SuSpec, Truth } from './spec.js';
import { TimeFormatter, printedTime } from './time.js';
import type { SimHost, World } from './world.js';
import type { LoginEventKind } from '../assemble/event.js';

/**
 * Lines of one hour as parallel arrays: collector arrival time (sort key) and text. Lines are appended in
 * generation order, which is the tie-break for equal arrival times.
 */
export class LineBucket {
  readonly keys: number[] = [];
  readonly texts: string[] = [];

  /** Number of lines. */
  get length(): number {
    return this.texts.length;
  }

  /** Appends a line. */
  push(k: number, text: string): void {
    this.keys.push(k);
    this.texts.push(text);
  }

  /** The texts in arrival order (stable for equal arrival times). */
  sorted(): string[] {
    const n = this.texts.length;
    const keys = this.keys;
    let inOrder = true;
    for (let i = 1; i < n; i++) {
      if (keys[i] < keys[i - 1]) {
        inOrder = false;
        break;
      }
    }
    if (inOrder) return this.texts;
    const idx = new Uint32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    idx.sort((a, b) => keys[a] - keys[b] || a - b);
    const out: string[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.texts[idx[i]];
    return out;
  }
}

/** Counters of what was rendered. */
export interface RenderCounters {
  lines: number;
  /** Lines that would arrive after the end of the simulation (dropped: the log ends). */
  droppedAfterEnd: number;
  /** Connections that never named a user (not login events, no label row). */
  noUserConnections: { history: number; test: number };
  /** Lines waiting for a later hour right now, and the most ever waiting (bounded by open sessions, not time). */
  deferredLines: number;
  peakDeferredLines: number;
  /** Most lines held for one hour. */
  peakHourLines: number;
}

const HOUR = 3_600_000;

/** Stateful renderer shared by all hours of one run. */
export class Renderer {
  /** Lines of the hour being rendered. */
  current = new LineBucket();
  /** Lines that arrive in a later hour, by hour index. */
  readonly deferred = new Map<number, LineBucket>();
  /** Label rows of the hour being rendered. */
  labels: LabelRow[] = [];
  readonly counters: RenderCounters = { lines: 0, droppedAfterEnd: 0, noUserConnections: { history: 0, test: 0 }, deferredLines: 0, peakDeferredLines: 0, peakHourLines: 0 };
  private seq = 0;
  private hourIndex = 0;
  private rng!: Rng;
  private readonly fmt = new TimeFormatter();
  // per-event tracking
  private evMin = Infinity;
  private evMax = -Infinity;
  private evOpen = false;

  constructor(
    private readonly world: World,
    private readonly t0: number,
    private readonly testStart: number,
    private readonly simEnd: number,
    private readonly ooProb: number,
    private readonly ooMaxMs: number,
  ) {}

  /** Starts a new hour: takes the lines deferred to it. */
  beginHour(hourIndex: number, rng: Rng): void {
    this.hourIndex = hourIndex;
    this.rng = rng;
    this.current = this.deferred.get(hourIndex) ?? new LineBucket();
    this.counters.deferredLines -= this.current.length;
    this.deferred.delete(hourIndex);
    this.labels = [];
  }

  /** Next pid on a host (pids grow with small gaps and wrap at pid_max). */
  nextPid(h: SimHost): number {
    h.pid += 1 + (this.rng.u32() & 3);
    if (h.pid >= h.pidMax) h.pid = 300 + (this.rng.u32() & 1023);
    return h.pid;
  }

  /** Writes one line from `program[pid]` on host `h` at true time `ms`. */
  emit(h: SimHost, ms: number, program: string, pid: number | null, msg: string, track = true): void {
    if (ms >= this.simEnd) {
      if (track) this.evOpen = true;
      this.counters.droppedAfterEnd++;
      return;
    }
    const shown = ms + h.skewMs;
    if (track) {
      const printed = printedTime(shown, h.envelope);
      if (printed < this.evMin) this.evMin = printed;
      if (printed > this.evMax) this.evMax = printed;
    }
    const r = this.rng.next();
    const k = r < this.ooProb ? ms + Math.floor((r / this.ooProb) * this.ooMaxMs) + 1 : ms;
    if (k >= this.simEnd) {
      if (track) this.evOpen = true;
      this.counters.droppedAfterEnd++;
      return;
    }
    const s = this.seq++;
    const stamp = h.envelope === 'rfc3164' ? this.fmt.rfc3164(shown) : this.fmt.iso8601(shown, h.offsetMin, (s * 7919) % 1000);
    const text = stamp + ' ' + h.name + ' ' + program + (pid === null ? ': ' : '[' + pid + ']: ') + msg;
    const hi = Math.floor((k - this.t0) / HOUR);
    if (hi <= this.hourIndex) this.current.push(k, text);
    else {
      let b = this.deferred.get(hi);
      if (b === undefined) {
        b = new LineBucket();
        this.deferred.set(hi, b);
      }
      b.push(k, text);
      if (++this.counters.deferredLines > this.counters.peakDeferredLines) this.counters.peakDeferredLines = this.counters.deferredLines;
    }
    this.counters.lines++;
  }

  private startEvent(): void {
    this.evMin = Infinity;
    this.evMax = -Infinity;
    this.evOpen = false;
  }

  private finishEvent(
    h: SimHost, t: number, kind: LoginEventKind, pid: number | null, user: string | null, source: string | null,
    truth: Truth, failures: number, success: boolean, target: string | null, method: string | null,
  ): void {
    if (this.evMin === Infinity) return; // nothing written (after the end)
    this.labels.push({
      host: h.name,
      pid,
      user,
      source,
      start: this.evMin,
      end: this.evOpen ? null : this.evMax,
      kind,
      label: truth.label,
      scenario: truth.scenario,
      period: t < this.testStart ? 'history' : 'test',
      failures,
      outcome: success ? 'success' : 'failure',
      actor: truth.actor,
      incident: truth.incident,
      target,
      method,
    });
  }

  /** Ends the hour: records its size. */
  endHour(): void {
    if (this.current.length > this.counters.peakHourLines) this.counters.peakHourLines = this.current.length;
  }

  /** Renders one spec. */
  render(spec: Spec): void {
    switch (spec.type) {
      case 'ssh':
        this.renderSsh(spec);
        break;
      case 'sudo':
        this.renderSudoAlone(spec);
        break;
      case 'probe':
        this.renderProbe(spec);
        break;
      case 'noise':
        this.renderNoise(spec);
        break;
    }
  }

  private gap(lo: number, hi: number): number {
    return lo + Math.floor(this.rng.next() * (hi - lo));
  }

  private renderSsh(s: SshSpec): void {
    const h = this.world.hosts[s.host];
    const d = h.distro;
    const prog = d.sshProgram;
    const v = d.ssh;
    const P = this.nextPid(h);
    const src = s.source;
    const port = s.port;
    const u = s.user;
    const from = `${src} port ${port}`;
    let t = s.t;
    this.startEvent();
    if (h.verbose) {
      this.emit(h, t, prog, P, `Connection from ${from} on ${h.ip} port 22${v >= 76 ? ' rdomain ""' : ''}`);
      t += this.gap(5, 400);
    }
    const inv = s.valid ? '' : 'invalid user ';
    if (!s.valid) {
      this.emit(h, t, prog, P, `Invalid user ${u} from ${src}${v >= 75 ? ` port ${port}` : ''}`);
      if (v < 75) this.emit(h, t, prog, P, `input_userauth_request: invalid user ${u} [preauth]`);
      t += this.gap(1, 300);
    }
    for (let i = 0; i < s.failures; i++) {
      if (s.method === 'password' || !s.valid) {
        if (!s.valid) {
          this.emit(h, t, prog, P, 'pam_unix(sshd:auth): check pass; user unknown');
          this.emit(h, t, prog, P, `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${src}`);
        } else if (i === 0) {
          this.emit(h, t, prog, P, `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${src}  user=${u}`);
        }
        t += this.gap(1500, 3500);
        this.emit(h, t, prog, P, `Failed password for ${inv}${u} from ${from} ssh2`);
      } else {
        const k = s.key;
        this.emit(h, t, prog, P, `Failed publickey for ${u} from ${from} ssh2: ${k ? k.type : 'RSA'} SHA256:${this.rng.base64(43)}`);
      }
      t += this.gap(200, 2500);
    }
    const method = s.method;
    if (!s.success) {
      if (s.maxAttempts) {
        this.emit(h, t, prog, P, `error: maximum authentication attempts exceeded for ${inv}${u} from ${from} ssh2 [preauth]`);
        this.emit(h, t, prog, P, v >= 76 ? `Disconnecting ${s.valid ? 'authenticating' : 'invalid'} user ${u} ${from}: Too many authentication failures [preauth]` : 'Disconnecting: Too many authentication failures [preauth]');
        if (s.failures > 1 && method === 'password') {
          this.emit(h, t, prog, P, `PAM ${s.failures - 1} more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=${src}${s.valid ? '  user=' + u : ''}`);
          this.emit(h, t, prog, P, `PAM service(sshd) ignoring max retries; ${s.failures} > 3`);
        }
      } else {
        if (s.failures > 1 && method === 'password') {
          this.emit(h, t, prog, P, `PAM ${s.failures - 1} more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=${src}${s.valid ? '  user=' + u : ''}`);
        }
        if (this.rng.chance(0.5)) {
          this.emit(h, t, prog, P, v >= 76 ? `Connection closed by ${s.valid ? 'authenticating' : 'invalid'} user ${u} ${from} [preauth]` : `Connection closed by ${from} [preauth]`);
        } else {
          this.emit(h, t, prog, P, `Received disconnect from ${from}:11: Bye Bye [preauth]`);
          this.emit(h, t, prog, P, v >= 76 ? `Disconnected from ${s.valid ? 'authenticating' : 'invalid'} user ${u} ${from} [preauth]` : `Disconnected from ${from} [preauth]`);
        }
      }
      this.finishEvent(h, s.t, 'ssh_failed', P, u, src, s.truth, s.failures, false, null, method);
      return;
    }
    const k = s.key;
    this.emit(h, t, prog, P, `Accepted ${method} for ${u} from ${from} ssh2${method === 'publickey' && k ? `: ${k.type} ${k.fp}` : ''}`);
    t += this.gap(1, 40);
    this.emit(h, t, prog, P, d.pamNew ? `pam_unix(sshd:session): session opened for user ${u}(uid=${s.uid}) by (uid=0)` : `pam_unix(sshd:session): session opened for user ${u} by (uid=0)`);
    const sid = ++h.session;
    t += this.gap(1, 30);
    const systemdUser = this.rng.chance(0.25);
    let userMgrPid = 0;
    if (systemdUser) {
      userMgrPid = this.nextPid(h);
      if (d.pamNew) this.emit(h, t, 'systemd', userMgrPid, `pam_unix(systemd-user:session): session opened for user ${u}(uid=${s.uid}) by ${u}(uid=0)`, false);
      else this.emit(h, t, 'systemd', null, `pam_unix(systemd-user:session): session opened for user ${u} by (uid=0)`, false);
    }
    this.emit(h, t, 'systemd-logind', h.logindPid, `New session ${sid} of user ${u}.`);
    const C = this.nextPid(h);
    const pts = `pts/${this.rng.int(0, 6)}`;
    if (h.verbose) {
      t += this.gap(1, 20);
      this.emit(h, t, prog, P, `User child is on pid ${C}`);
      this.emit(h, t, prog, C, `Starting session: ${s.tty ? 'shell on ' + pts : 'command'} for ${u} from ${from} id 0`);
    }
    // the session's own label is written now (its end is known), sub-events follow
    let te = s.t + Math.max(s.durationMs, t - s.t + 50);
    if (s.endKind === 'disconnect') {
      this.emit(h, te, prog, C, `Received disconnect from ${from}:11: disconnected by user`);
      this.emit(h, te, prog, C, v >= 76 ? `Disconnected from user ${u} ${from}` : `Disconnected from ${from}`);
    } else if (s.endKind === 'timeout') {
      this.emit(h, te, prog, C, v >= 76 ? `Timeout, client not responding from user ${u} ${from}` : 'Timeout, client not responding.');
    } else {
      this.emit(h, te, prog, C, `Connection reset by ${from}`);
    }
    te += this.gap(1, 60);
    this.emit(h, te, prog, P, `pam_unix(sshd:session): session closed for user ${u}`);
    if (this.rng.chance(0.7)) this.emit(h, te, 'systemd-logind', h.logindPid, `Session ${sid} logged out. Waiting for processes to exit.`);
    te += this.gap(1, 200);
    this.emit(h, te, 'systemd-logind', h.logindPid, `Removed session ${sid}.`);
    if (systemdUser) {
      te += this.gap(100, 10000);
      this.emit(h, te, 'systemd', d.pamNew ? userMgrPid : null, `pam_unix(systemd-user:session): session closed for user ${u}`, false);
    }
    this.finishEvent(h, s.t, 'ssh_session', P, u, src, s.truth, s.failures, true, null, method);
    const tty = s.tty ? pts : null;
    for (const x of s.sudo) this.renderSudo(h, s.t + x.offsetMs, u, s.uid, tty, x);
    for (const x of s.su) this.renderSu(h, s.t + x.offsetMs, u, s.uid, tty ?? 'pts/0', x);
  }

  private renderSudoAlone(s: SudoAloneSpec): void {
    this.renderSudo(this.world.hosts[s.host], s.t, s.user, s.uid, s.tty, s.sudo);
  }

  private renderSudo(h: SimHost, t: number, u: string, uid: number, tty: string | null, x: SudoSpec): void {
    const d = h.distro;
    const t0 = t;
    const pid = d.sudoPid ? this.nextPid(h) : null;
    this.startEvent();
    const head = `${u.padStart(8)} : `;
    const ctx = `${tty ? `TTY=${tty} ; ` : ''}PWD=${x.pwd} ; USER=${x.target} ; COMMAND=${x.command}`;
    for (let i = 0; i < x.failures; i++) {
      this.emit(h, t, 'sudo', pid, `pam_unix(sudo:auth): authentication failure; logname=${u} uid=${uid} euid=0 tty=${tty ? '/dev/' + tty : ''} ruser=${u} rhost=  user=${u}`);
      t += this.gap(2000, 6000);
    }
    if (x.notInSudoers) {
      this.emit(h, t, 'sudo', pid, `${head}user NOT in sudoers ; ${ctx}`);
    } else if (!x.success) {
      this.emit(h, t, 'sudo', pid, `${head}${x.failures} incorrect password attempt${x.failures === 1 ? '' : 's'} ; ${ctx}`);
    } else {
      this.emit(h, t, 'sudo', pid, head + ctx);
      t += this.gap(1, 20);
      const by = tty ? `${u}(uid=${d.pamNew ? uid : 0})` : `(uid=${d.pamNew ? uid : 0})`;
      this.emit(h, t, 'sudo', pid, d.pamNew ? `pam_unix(sudo:session): session opened for user ${x.target}(uid=0) by ${by}` : `pam_unix(sudo:session): session opened for user ${x.target} by ${by}`);
      this.emit(h, t + x.durationMs, 'sudo', pid, `pam_unix(sudo:session): session closed for user ${x.target}`);
    }
    this.finishEvent(h, t0, 'sudo', pid, u, null, x.truth, x.failures, x.success && !x.notInSudoers, x.target, null);
  }

  private renderSu(h: SimHost, t: number, u: string, uid: number, tty: string, x: SuSpec): void {
    const d = h.distro;
    const t0 = t;
    const debian = d.su === 'debian';
    const pid = debian ? this.nextPid(h) : null;
    this.startEvent();
    const svc = 'su-l';
    if (!x.success) {
      this.emit(h, t, 'su', pid, `pam_unix(${svc}:auth): authentication failure; logname=${u} uid=${uid} euid=0 tty=/dev/${tty} ruser=${u} rhost=  user=${x.target}`);
      t += this.gap(2000, 4000);
      this.emit(h, t, 'su', pid, debian ? `FAILED SU (to ${x.target}) ${u} on ${tty}` : `FAILED SU (to ${x.target}) ${u} on ${tty}`);
      this.finishEvent(h, t0, 'su', pid, u, null, x.truth, 1, false, x.target, null);
      return;
    }
    if (debian) this.emit(h, t, 'su', pid, `(to ${x.target}) ${u} on ${tty}`);
    this.emit(h, t, 'su', pid, d.pamNew ? `pam_unix(${svc}:session): session opened for user ${x.target}(uid=0) by ${u}(uid=${uid})` : `pam_unix(${svc}:session): session opened for user ${x.target} by ${u}(uid=${uid})`);
    this.emit(h, t + x.durationMs, 'su', pid, `pam_unix(${svc}:session): session closed for user ${x.target}`);
    this.finishEvent(h, t0, 'su', pid, u, null, x.truth, 0, true, x.target, null);
  }

  private renderProbe(s: ProbeSpec): void {
    const h = this.world.hosts[s.host];
    const v = h.distro.ssh;
    const prog = h.distro.sshProgram;
    const P = this.nextPid(h);
    const from = `${s.source} port ${s.port}`;
    let t = s.t;
    if (h.verbose) {
      this.emit(h, t, prog, P, `Connection from ${from} on ${h.ip} port 22${v >= 76 ? ' rdomain ""' : ''}`);
      t += this.gap(5, 2000);
    }
    switch (s.variant) {
      case 'no_ident':
        if (v >= 82) {
          this.emit(h, t, prog, P, 'error: kex_exchange_identification: Connection closed by remote host');
          this.emit(h, t, prog, P, `Connection closed by ${from}`);
        } else this.emit(h, t, prog, P, `Did not receive identification string from ${s.source}${v >= 75 ? ` port ${s.port}` : ''}`);
        break;
      case 'bad_banner':
        if (v >= 82) {
          this.emit(h, t, prog, P, 'error: kex_exchange_identification: banner line contains invalid characters');
          this.emit(h, t, prog, P, `banner exchange: Connection from ${from}: invalid format`);
        } else this.emit(h, t, prog, P, `Bad protocol version identification '\\026\\003\\001' from ${from}`);
        break;
      case 'negotiate':
        this.emit(h, t, prog, P, `Unable to negotiate with ${from}: no matching key exchange method found. Their offer: diffie-hellman-group14-sha1,diffie-hellman-group-exchange-sha1,diffie-hellman-group1-sha1 [preauth]`);
        break;
      case 'closed_preauth':
        this.emit(h, t, prog, P, `Connection closed by ${from} [preauth]`);
        break;
    }
    if (s.t < this.testStart) this.counters.noUserConnections.history++;
    else this.counters.noUserConnections.test++;
  }

  private renderNoise(s: NoiseSpec): void {
    const h = this.world.hosts[s.host];
    const d = h.distro;
    if (s.variant === 'cron') {
      const pid = this.nextPid(h);
      this.emit(h, s.t, 'CRON', pid, d.pamNew ? 'pam_unix(cron:session): session opened for user root(uid=0) by root(uid=0)' : 'pam_unix(cron:session): session opened for user root by (uid=0)');
      this.emit(h, s.t + this.gap(50, 3000), 'CRON', pid, 'pam_unix(cron:session): session closed for user root');
    } else if (s.variant === 'systemd') {
      const which = this.rng.int(0, 3);
      const msg =
        which === 0 ? 'Starting Daily apt download activities...'
        : which === 1 ? 'Started Daily Cleanup of Temporary Directories.'
        : which === 2 ? 'logrotate.service: Succeeded.'
        : 'Finished Rotate log files.';
      this.emit(h, s.t, 'systemd', 1, msg);
    } else {
      const up = ((s.t / 1000) % 8640000).toFixed(6);
      this.emit(h, s.t, 'kernel', null, `[${up.padStart(12)}] [UFW BLOCK] IN=eth0 OUT= MAC=02:42:ac:11:00:02:02:42:0a:00:00:01:08:00 SRC=${s.source} DST=${h.ip} LEN=44 TOS=0x00 PREC=0x00 TTL=${this.rng.int(30, 250)} ID=${this.rng.int(1, 65535)} PROTO=TCP SPT=${this.rng.int(1024, 65535)} DPT=${this.rng.pick([23, 445, 3389, 5900, 8080])} WINDOW=1024 RES=0x00 SYN URGP=0`);
    }
  }
}

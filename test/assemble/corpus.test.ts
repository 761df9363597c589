import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EventAssembler, type LoginEvent } from '../../src/assemble/index.js';
import { LineParser } from '../../src/grammar/index.js';
import { expectBalanced } from './helpers.js';

const AUTH_LOG = fileURLToPath(
  new URL(
    '../../../shared/corpora/elastic-examples/Machine Learning/Security Analytics Recipes/suspicious_login_activity/data/auth.log',
    import.meta.url,
  ),
);
const exists = existsSync(AUTH_LOG);
if (!exists) console.warn(`[assemble corpus test] skipped: ${AUTH_LOG} not found (shared corpora absent)`);

function assemble(lines: readonly string[], batch: number, reorderWindowMs = 2000): { events: LoginEvent[]; asm: EventAssembler } {
  const parser = new LineParser({ year: 2017, timezone: 'UTC' });
  const asm = new EventAssembler({ reorderWindowMs });
  const events: LoginEvent[] = [];
  for (let i = 0; i < lines.length; i += batch) events.push(...asm.push(parser.parseBatch(lines.slice(i, i + batch))));
  events.push(...asm.flush());
  expectBalanced(asm, events);
  return { events, asm };
}

const key = (e: LoginEvent) => `${e.kind}|${e.pid}|${e.userName}|${e.sourceIp}|${e.sourcePort}|${e.timestamp}|${e.end}|${e.lines}|${e.failures}|${e.sessionId}`;

describe.skipIf(!exists)('real multi-line log: elastic-examples suspicious_login_activity auth.log', () => {
  const lines = exists ? readFileSync(AUTH_LOG, 'utf8').split('\n').filter((l) => l.length > 0) : [];
  const { events, asm } = exists ? assemble(lines, 500) : { events: [], asm: new EventAssembler() };
  // expectations counted from the raw text, independently of the grammar
  const count = (re: RegExp) => lines.filter((l) => re.test(l)).length;

  it('every record ends in exactly one event or counted bucket', () => {
    expect(asm.counters.recordsIn).toBe(lines.length);
    expect(asm.counters.ignoredByReason['no-timestamp'] + asm.counters.ignoredByReason['no-host']).toBe(0);
    // the only orphans are two logind "Removed session" lines that come 3 and 5 days after their session ended
    expect(asm.counters.ignoredByReason.orphan).toBe(2);
  });

  it('one ssh_session per Accepted line, each joined to its logind session, with its child-pid lines merged', () => {
    const accepted = count(/ sshd\[\d+\]: Accepted /);
    const sessions = events.filter((e) => e.kind === 'ssh_session');
    expect(sessions).toHaveLength(accepted);
    expect(sessions.filter((e) => e.sessionId !== null)).toHaveLength(count(/systemd-logind\[\d+\]: New session /));
    // the session of elastic_user_8 at Mar 29 14:16:10 (monitor 2477, child 2516, logind 86): 7 lines
    const s = sessions.find((e) => e.pid === 2477)!;
    expect(s).toMatchObject({ userName: 'elastic_user_8', sourceIp: '24.151.103.17', sourcePort: 64554, sessionId: '86', lines: 7, endReason: 'disconnect', incomplete: false, sshMethod: 'password' });
    // only the session still open at the end of the file is incomplete
    const open = sessions.filter((e) => e.incomplete);
    expect(open.map((e) => e.pid)).toEqual([3964]);
    expect(open[0].endReason).toBe('open');
  });

  it('the Mar 30 brute force from 24.151.103.17 shows up as failed events with failure counts', () => {
    const mar30 = (e: LoginEvent) => new Date(e.timestamp).getUTCMonth() === 2 && new Date(e.timestamp).getUTCDate() === 30;
    const failed = events.filter((e) => e.kind === 'ssh_failed' && e.sourceIp === '24.151.103.17' && mar30(e));
    const failedLines = count(/^Mar 30 .*sshd\[\d+\]: Failed password for .* from 24\.151\.103\.17 /);
    const closedLines = count(/^Mar 30 .*sshd\[\d+\]: Connection closed by 24\.151\.103\.17 .*\[preauth\]/);
    expect(failed.length).toBe(closedLines);
    expect(failed.length).toBeGreaterThan(100);
    expect(failed.reduce((n, e) => n + e.failures, 0)).toBe(failedLines);
    for (const e of failed) {
      expect(e.failures).toBeGreaterThanOrEqual(1);
      expect(e.outcome).toBe('failure');
      expect(e.userName).toMatch(/^elastic_user_\d$/);
      expect(e.pid).not.toBeNull();
    }
  });

  it('sudo invocations carry their PAM session lines; CRON and systemd-user sessions are counted as ignored', () => {
    const sudo = events.filter((e) => e.kind === 'sudo');
    expect(sudo).toHaveLength(count(/ sudo: +\S+ : .*COMMAND=/));
    expect(sudo.filter((e) => e.lines === 3)).toHaveLength(count(/pam_unix\(sudo:session\): session closed/));
    expect(asm.counters.ignoredByReason.cron).toBe(count(/ CRON\[\d+\]: /));
    expect(asm.counters.ignoredByReason['systemd-user']).toBe(count(/pam_unix\(systemd-user:session\)/));
    expect(events.filter((e) => e.kind === 'su').length).toBeGreaterThan(0);
  });

  it('gives the same events for any batch size', () => {
    const ref = events.map(key).sort();
    for (const b of [1, 4096, lines.length]) expect(assemble(lines, b).events.map(key).sort()).toEqual(ref);
  });
});

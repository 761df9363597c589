import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/command.js';
import { detectCommand } from '../../src/cli/detect.js';
import { scoreCommand } from '../../src/cli/score.js';
import { trainCommand } from '../../src/cli/train.js';
import { FeatureEncoder } from '../../src/features/index.js';
import { detect } from '../../src/pipeline/index.js';
import { writeSimulation } from '../../src/simulate/index.js';
import { fakeIo, SMALL_SIM, simYear } from '../pipeline/helpers.js';
import { evilLines, hostileLog, type HostileLog } from './hostile-log.js';

// The whole job on a hostile log next to a small organisation's history: attacker-chosen user names, a 5 MB line,
// NUL bytes, invalid UTF-8, forged years, a 20,000-user spray and 5,000 sessions that never close. Nothing may
// crash, every line must be accounted for, memory must stay bounded, and no attacker text may reach a terminal or
// a report unescaped.
describe('hostile input, end to end', () => {
  let dir: string;
  let hostile: HostileLog;
  let historyLines: number;
  const year = String(simYear(SMALL_SIM));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loginsight-hostile-'));
    await writeSimulation(dir, SMALL_SIM);
    hostile = hostileLog(20_000, 5_000);
    await writeFile(join(dir, 'hostile.log'), hostile.bytes);
    historyLines = (await readFile(join(dir, 'history.log'), 'utf8')).split('\n').length - 1;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loginsight detect: runs to the end, accounts for every line, and prints and writes nothing unescaped', async () => {
    const io = fakeIo(dir);
    const args = ['--out-dir', 'out', '--format', 'csv', '--year', year, '--epochs', '2', '--backend', 'cpu', '--seed', '1', 'history.log', 'hostile.log'];
    expect(await detectCommand.run(args, io)).toBe(EXIT.ok);
    const summary = JSON.parse(await readFile(join(dir, 'out', 'summary.json'), 'utf8')) as {
      counters: Record<string, Record<string, number>>;
      period: { start: number; end: number };
    };
    // the spray is most of the events: detect says it may have learnt it as normal
    expect(io.out()).toMatch(/Caution: [\d,]+ of [\d,]+ login events \(\d+%\) are failed logins/);
    const c = summary.counters;
    const total = historyLines + hostile.lines;
    expect(c.read.lines).toBe(total);
    expect(c.read.truncatedLines).toBe(1); // the 5 MB line, cut and counted
    expect(c.parse.lines).toBe(total);
    expect(c.parse['malformedByReason.implausible-timestamp']).toBe(2); // years 0000 and 9999
    expect(c.assemble.recordsIn).toBe(total);
    expect(c.assemble.recordsInEvents + c.assemble.recordsIgnored).toBe(total);
    expect(c.assemble['ignoredByReason.no-timestamp']).toBeGreaterThanOrEqual(2);
    // the reported period is not stretched across millennia by forged stamps
    expect(summary.period.end - summary.period.start).toBeLessThan(400 * 86_400_000);

    // every spray connection is one failed login of its own user; every evil name arrives intact in the CSV
    const csv = await readFile(join(dir, 'out', 'events.csv'), 'utf8');
    const sprayUsers = new Set(csv.match(/,spray\d+,/g) ?? []);
    expect(sprayUsers.size).toBe(hostile.sprayConnections);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example/"",""click"")"`); // spreadsheet formula neutralised
    expect(csv).toContain("'+cmd|'/c calc'!A0");
    expect(csv).toContain('<script>alert(1)</script>'); // data stays data in CSV ...

    // ... but nothing attacker-controlled reaches the terminal or the report as markup or control sequences
    const terminal = io.out() + io.err();
    expect(terminal).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/);
    const html = await readFile(join(dir, 'out', 'report.html'), 'utf8');
    expect(html.length).toBeLessThan(2_000_000);
    expect(html).toMatch(/<p class="warning"><b>Caution:<\/b> [\d,]+ of [\d,]+ login events \(\d+%\) are failed logins/);
    expect(html).not.toMatch(/<script|onerror=|\u001b|\u202e/i);
  }, 300_000);

  it('attacker-chosen user names reach the terminal summary and the HTML report only as harmless text', async () => {
    const t = fakeIo(dir);
    expect(await trainCommand.run(['--out', 'model', '--epochs', '2', '--backend', 'cpu', '--seed', '1', '--year', year, '--quiet', 'history.log'], t)).toBe(EXIT.ok);
    await writeFile(join(dir, 'evil.log'), evilLines().join('\n') + '\n');
    const io = fakeIo(dir);
    // threshold 0: every event is flagged, so every evil name is listed in the summary and the report
    const args = ['-m', 'model', '--threshold', '0', '--top', '10', '--year', year, '--out', 'evil.jsonl', '--report', 'evil.html', 'evil.log'];
    expect(await scoreCommand.run(args, io)).toBe(EXIT.ok);
    const terminal = io.err();
    expect(terminal).toContain('Top anomalies:');
    expect(terminal).toContain('<script>alert(1)</script>'); // shown as text: a terminal does not run markup ...
    expect(terminal).toContain('?[2J?[31mroot'); // ... but escape sequences and bidi overrides are neutralised
    expect(terminal).toContain('admin?gnp.exe');
    expect(terminal).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/);
    const html = await readFile(join(dir, 'evil.html'), 'utf8');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('admin?gnp.exe');
    expect(html).not.toMatch(/<script|\u001b|\u202e/i);
    // the JSON Lines output keeps the names exactly (escaped as JSON, nothing lost)
    const users = (await readFile(join(dir, 'evil.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as Record<string, unknown>)['user.name']);
    expect(users).toContain('\u001b[2J\u001b[31mroot');
    expect(users).toContain('admin\u202egnp.exe');
  }, 300_000);

  it('state stays bounded: the open-login cap evicts and counts, the encoder state does not grow with 20,000 new users', async () => {
    const res = await detect({
      input: { files: [join(dir, 'history.log'), join(dir, 'hostile.log')] },
      parse: { year: Number(year) },
      assemble: { maxOpen: 500 },
      epochs: 1,
      seed: 1,
      backend: 'cpu',
      explain: 'none',
      tempDir: dir,
    });
    const a = res.counters.assemble;
    expect(a.peakOpen).toBeLessThanOrEqual(500);
    expect(a['evictedByReason.cap']).toBeGreaterThan(1000);
    expect(a.recordsIn).toBe(a.recordsInEvents + a.recordsIgnored);
    // the encoder's tables are allocated once: 20,000 new user names do not grow its memory
    expect(res.training.trained.encoder.stateSize().totalBytes).toBe(new FeatureEncoder().stateSize().totalBytes);
    res.training.trained.model.dispose?.();
  }, 300_000);
});

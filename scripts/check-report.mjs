#!/usr/bin/env node
// Opens a loginsight HTML report in headless Chromium (Debian's `chromium` package) and checks that:
//   - the page loads with no console errors (CSP violations, script errors, failed loads are console errors),
//   - the rendered DOM holds the five SVG plots with drawn content,
//   - a screenshot PNG can be taken (written next to the report, or to --screenshot PATH).
// Not part of the vitest suite (it needs chromium). Usage:
//   node scripts/check-report.mjs report.html [--screenshot shot.png] [--chromium /usr/bin/chromium]
// Exit codes: 0 ok, 1 a check failed, 2 usage, 3 chromium missing.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
let report = null;
let screenshot = null;
let chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--screenshot') screenshot = args[++i];
  else if (args[i] === '--chromium') chromium = args[++i];
  else if (args[i] === '-h' || args[i] === '--help') {
    console.log('usage: node scripts/check-report.mjs REPORT.html [--screenshot PNG] [--chromium PATH]');
    process.exit(0);
  } else report = args[i];
}
if (!report) {
  console.error('check-report: give the report file: node scripts/check-report.mjs report.html');
  process.exit(2);
}
report = resolve(report);
if (!existsSync(report)) {
  console.error(`check-report: no such file: ${report}`);
  process.exit(2);
}
if (!existsSync(chromium)) {
  console.error(`check-report: chromium not found at ${chromium} (apt-get install -y chromium, or --chromium PATH)`);
  process.exit(3);
}
screenshot = resolve(screenshot ?? report.replace(/\.html?$/i, '') + '.png');

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--no-first-run',
  '--no-default-browser-check',
  '--hide-scrollbars',
  '--mute-audio',
  '--enable-logging=stderr',
  '--v=0',
  '--virtual-time-budget=3000',
];

function run(extra) {
  const profile = mkdtempSync(join(tmpdir(), 'loginsight-chromium-'));
  return new Promise((resolvePromise) => {
    const child = spawn(chromium, [...FLAGS, `--user-data-dir=${profile}`, ...extra, pathToFileURL(report).href], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      rmSync(profile, { recursive: true, force: true });
      resolvePromise({ code, stdout, stderr });
    });
  });
}

const failures = [];
const dom = await run(['--dump-dom']);
if (dom.code !== 0) failures.push(`chromium --dump-dom exited with ${dom.code}`);
// Console messages are logged as `...:INFO:CONSOLE(line)] "message", source: ...` (level in the tag).
const consoleLines = dom.stderr.split('\n').filter((l) => /CONSOLE|Uncaught|Refused to|net::ERR_/i.test(l));
// A report has no scripts, so any console message at all (a CSP violation, a failed load) is a failure.
for (const l of consoleLines) failures.push(`console: ${l.trim().slice(0, 300)}`);

const html = dom.stdout;
for (const id of ['plot-histogram', 'plot-timeline', 'plot-users', 'plot-hosts', 'plot-sources']) {
  const m = new RegExp(`<svg[^>]*id="${id}"[\\s\\S]*?</svg>`).exec(html);
  if (!m) failures.push(`plot ${id} missing from the rendered DOM`);
  else if (!/<(rect|text)\b/.test(m[0])) failures.push(`plot ${id} has no drawn content`);
}
if (!/<h1>/.test(html)) failures.push('no <h1> in the rendered DOM');
if (/<script\b/i.test(html)) failures.push('the report contains a <script> element');

const shot = await run([`--screenshot=${screenshot}`, '--window-size=1280,2000']);
if (!existsSync(screenshot) || statSync(screenshot).size < 1000) failures.push(`no screenshot written (exit ${shot.code})`);

if (failures.length > 0) {
  console.error(`check-report: FAILED for ${report}`);
  for (const f of failures) console.error(`  - ${f}`);
  process.exit(1);
}
console.log(`check-report: ok — ${report} renders with no console errors and 5 SVG plots; screenshot ${screenshot}`);

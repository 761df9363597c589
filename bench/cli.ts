/**
 * CLI/io throughput, side by side in one process: read only, read+parse, read+parse+ECS+JSON, parse command
 * end to end, events command end to end. Usage: node --import tsx bench/cli.ts FILE [FILE...]
 */
import { Writable } from 'node:stream';
import { Readable } from 'node:stream';
import { stat } from 'node:fs/promises';
import { readLines } from '../src/io/read-lines.js';
import { recordToEcs, recordToEcsJson } from '../src/io/ecs.js';
import { LineParser } from '../src/grammar/index.js';
import { runCli } from '../src/cli/main.js';
import { COMMANDS } from '../src/cli/commands.js';

const files = process.argv.slice(2);
let bytes = 0;
for (const f of files) bytes += (await stat(f)).size;

function nullSink(): Writable {
  return new Writable({ write(_c, _e, cb) { cb(); }, writev(_c, cb) { cb(); } });
}

async function time(name: string, fn: () => Promise<number>): Promise<number> {
  const t0 = process.hrtime.bigint();
  const lines = await fn();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${name.padEnd(34)} ${(lines / s / 1e3).toFixed(0).padStart(7)} k lines/s ${(bytes / s / 1e6).toFixed(1).padStart(7)} MB/s  ${s.toFixed(2)} s`);
  return s;
}

const io = () => ({ stdin: Readable.from([]), stdout: nullSink(), stderr: nullSink(), stderrIsTTY: false, cwd: process.cwd() });
for (let round = 0; round < 2; round++) {
  console.log(`round ${round + 1}: ${files.join(' ')} (${(bytes / 1e6).toFixed(1)} MB)`);
  const base = await time('readLines', async () => { let n = 0; for await (const b of readLines(files)) n += b.length; return n; });
  const p = await time('readLines + parseBatch', async () => { const lp = new LineParser(); let n = 0; for await (const b of readLines(files)) n += lp.parseBatch(b).length; return n; });
  const j = await time('readLines + parse + ECS + JSON', async () => {
    const lp = new LineParser(); let n = 0;
    for await (const b of readLines(files)) { let s = ''; for (const r of lp.parseBatch(b)) s += JSON.stringify(recordToEcs(r, 'dotted')) + '\n'; n += b.length; void s; }
    return n;
  });
  const jf = await time('readLines + parse + recordToEcsJson', async () => {
    const lp = new LineParser(); let n = 0;
    for await (const b of readLines(files)) { const s = lp.parseBatch(b).map((r) => recordToEcsJson(r, 'dotted')).join('\n'); n += b.length; void s; }
    return n;
  });
  let lines = 0;
  for await (const b of readLines(files)) lines += b.length;
  const c = await time('loginsight parse (in-process)', async () => { await runCli(['parse', '-q', ...files], io(), COMMANDS); return lines; });
  const e = await time('loginsight events (in-process)', async () => { await runCli(['events', '-q', ...files], io(), COMMANDS); return lines; });
  console.log(`ratios vs readLines: parse ${(p / base).toFixed(2)}x, +toEcs+JSON.stringify ${(j / base).toFixed(2)}x, +recordToEcsJson ${(jf / base).toFixed(2)}x, parse cmd ${(c / base).toFixed(2)}x, events cmd ${(e / base).toFixed(2)}x`);
}

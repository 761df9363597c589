/**
 * CLI start-up time: `npx tsx bench/cli-startup.ts [--compare <other dist/cli/bin.js>] [--rounds 10]`.
 *
 * Runs the built CLI (`dist/cli/bin.js`; `npm run build` first) for a few cheap invocations, each `--rounds` times,
 * and prints the median wall time per invocation. With `--compare`, another build runs alternately with this one
 * (same machine, same moment), and the ratio is printed: that is the figure to quote on a shared machine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const bin = join(root, 'dist/cli/bin.js');
const argAt = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
};
const compare = argAt('compare');
const rounds = Number(argAt('rounds') ?? 10);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer');
if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build\` first`);
if (compare !== undefined && !existsSync(compare)) throw new Error(`--compare: ${compare} does not exist`);

const dir = mkdtempSync(join(tmpdir(), 'loginsight-startup-'));
const log = join(dir, 'auth.log');
writeFileSync(log, 'Nov 29 10:00:00 web1 sshd[812]: Accepted publickey for alice from 10.0.0.5 port 50022 ssh2\n');
const cases: string[][] = [['--version'], ['parse', log], ['events', log], ['train', '--help']];

function once(file: string, args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [file, ...args], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  console.log(`CLI start-up, median of ${rounds} runs${compare ? `, alternating with ${compare}` : ''}`);
  for (const args of cases) {
    const cur: number[] = [];
    const other: number[] = [];
    for (let i = 0; i < rounds; i++) {
      if (compare !== undefined) other.push(once(compare, args));
      cur.push(once(bin, args));
    }
    const label = `loginsight ${args[0] === log ? '' : args[0]}${args.length > 1 ? ` ${args[1] === log ? 'auth.log' : args[1]}` : ''}`;
    const line = `  ${label.padEnd(28)} ${median(cur).toFixed(0).padStart(5)} ms`;
    console.log(compare === undefined ? line : `${line}   compare ${median(other).toFixed(0).padStart(5)} ms   ratio ${(median(cur) / median(other)).toFixed(2)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

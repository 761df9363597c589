/**
 * The `loginsight` executable: wires the process's streams to {@link runCli}, removes temporary output files on
 * SIGINT / SIGTERM, and exits quietly when stdout is closed early (`loginsight parse big.log | head`).
 * (The shebang is added by the build, see tsup.config.ts.)
 *
 * @module
 */
import { removeOpenTempFilesSync } from '../io/atomic.js';
import { COMMANDS } from './commands.js';
import { runCli } from './main.js';

function onSignal(signal: NodeJS.Signals): void {
  removeOpenTempFilesSync();
  process.stderr.write(`\nloginsight: interrupted (${signal}); partial output removed\n`);
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') {
    removeOpenTempFilesSync();
    process.exit(0);
  }
});

const code = await runCli(
  process.argv.slice(2),
  {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    stderrIsTTY: process.stderr.isTTY === true,
    cwd: process.cwd(),
  },
  COMMANDS,
  { debug: process.env.LOGINSIGHT_DEBUG !== undefined && process.env.LOGINSIGHT_DEBUG !== '' && process.env.LOGINSIGHT_DEBUG !== '0' },
);
process.exitCode = code;

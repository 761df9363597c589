/**
 * `loginsight train --out MODEL_DIR FILE...`: parse, assemble, encode, fit and calibrate on history logs; write the
 * model directory.
 *
 * @module
 */
import { train } from '../pipeline/train.js';
import { flagOption, numberOption, parseCommandArgs, requiredString } from './args.js';
import { EXIT, type CliCommand, type CliIo } from './command.js';
import { COMMON_HELP, LOG_INPUT_HELP, LOG_INPUT_OPTIONS, inputsOf, logInputSettings, n, printSummary, resolvePath } from './common.js';
import { MODEL_HELP, MODEL_OPTIONS, modelSettings, pipelineProgress, secs } from './pipeline-common.js';
import { createProgress } from './progress.js';
import { SUMMARIES } from './summaries.js';

const HELP = `Usage: loginsight train --out MODEL_DIR [options] FILE...

Learn what normal logins look like from history logs: parse the lines, assemble login events, fit the
feature encoder, train the autoencoder and calibrate the anomaly threshold. Writes one model directory
(network, encoder state, scorer calibration, manifest with checksums) for 'loginsight score'.
Reads files, globs, .gz and stdin ('-').

Options:
  -o, --out DIR        Model directory to write (required; replaced atomically)
  --contamination C    Expected share of anomalies, sets the threshold (default 0.01)
  --epoch-rows N       Train each epoch on a random subset of at most N rows (default: all); for long
                       histories: every event still shapes the features and the threshold
  --temp-dir DIR       Where to keep the temporary event spool and row cache (default: OS temp dir)

${MODEL_HELP}

${LOG_INPUT_HELP}

${COMMON_HELP}

Examples:
  loginsight train --out model/ /var/log/auth.log.1 /var/log/auth.log.2.gz
  loginsight train -o model/ --epochs 30 --seed 7 --timezone Europe/Berlin 'archive/auth.log*'
  loginsight train -o model/ --backend wasm --hidden 64,32 --bottleneck 8 history.log
  loginsight train -o model/ --epoch-rows 2000000 'month/*/auth.log*.gz'

Exit codes: 0 ok, 2 bad usage, 3 unreadable or empty input.`;

/** The `train` command. */
export const trainCommand: CliCommand = {
  name: 'train',
  summary: SUMMARIES.train,
  help: HELP,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      argv,
      { ...LOG_INPUT_OPTIONS, ...MODEL_OPTIONS, out: { type: 'string', short: 'o' }, contamination: { type: 'string' }, 'epoch-rows': { type: 'string' }, 'temp-dir': { type: 'string' } },
      true,
    );
    const out = resolvePath(io, requiredString(values, 'out', 'MODEL_DIR'));
    const parse = logInputSettings(values);
    const m = modelSettings(values, io.cwd);
    const contamination = numberOption(values, 'contamination', { min: 1e-6, max: 0.5 }, 0.01) as number;
    const epochRows = numberOption(values, 'epoch-rows', { integer: true, min: 1, max: 1e12 });
    const tempDir = values['temp-dir'] as string | undefined;
    const progress = createProgress(io, flagOption(values, 'quiet'));
    let result;
    try {
      result = await train({
        input: { files: inputsOf(positionals, io), cwd: io.cwd, stdin: io.stdin },
        out,
        parse,
        model: m.model,
        epochs: m.epochs,
        epochRows,
        seed: m.seed,
        backend: m.backend,
        threshold: { contamination },
        tempDir: tempDir === undefined ? undefined : resolvePath(io, tempDir),
        onProgress: pipelineProgress(progress),
      });
    } finally {
      progress.clear();
    }
    const loss = result.loss;
    const text = [
      `train: ${n(result.lines)} lines, ${n(result.events)} login events, ${result.columns.length} features`,
      `  loss ${loss.length ? `${loss[0].toPrecision(3)} -> ${loss[loss.length - 1].toPrecision(3)} over ${loss.length} epochs` : '-'}` +
        (result.valLoss.length ? `, validation ${result.valLoss[result.valLoss.length - 1].toPrecision(3)}` : ''),
      `  threshold ${result.threshold.toPrecision(4)} (contamination ${contamination})`,
      `  time: read ${secs(result.timings.read)}, encode ${secs(result.timings.encode)}, train ${secs(result.timings.train)}, calibrate ${secs(result.timings.calibrate)}`,
      `  wrote ${out}`,
    ];
    printSummary(io, values, text, {
      command: 'train',
      modelDir: out,
      lines: result.lines,
      events: result.events,
      features: result.columns.length,
      loss: result.loss,
      valLoss: result.valLoss,
      threshold: result.threshold,
      period: result.period,
      timings: result.timings,
      counters: result.counters,
    });
    result.trained.model.dispose?.();
    return EXIT.ok;
  },
};

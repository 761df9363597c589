/**
 * `loginsight tune FILE... [--eval FILE...] [--labels labels.csv]`: a small hyperparameter search judged on held-out
 * reconstruction error, top-k stability across seeds, and labels when given; prints a table and writes the best
 * configuration (usable with `train --config` / `detect --config`).
 *
 * @module
 */
import { writeFileAtomic } from '../io/index.js';
import { tune, type TuneGrid, type TuneRow } from '../pipeline/tune.js';
import { readLabels } from '../simulate/index.js';
import type { Activation } from '../model/index.js';
import { choiceOption, flagOption, numberOption, parseCommandArgs, stringOption } from './args.js';
import { EXIT, InputError, UsageError, type CliCommand, type CliIo } from './command.js';
import { COMMON_HELP, LOG_INPUT_HELP, LOG_INPUT_OPTIONS, inputsOf, logInputSettings, printSummary, resolvePath } from './common.js';
import { BACKENDS, intListOption } from './pipeline-common.js';
import { createProgress } from './progress.js';
import { SUMMARIES } from './summaries.js';

const HELP = `Usage: loginsight tune [options] FILE...

Validate the model and search a small grid of network shapes, activations, learning rates and epochs
before you trust a ranking. Each candidate is trained with several seeds on the older 80% of the
history (FILE...) and judged on:
  - held-out error: reconstruction error on the newest 20% of the history (does it generalise?)
  - stability: overlap of the top-k events across seeds (a ranking that changes with the seed is
    not evidence)
  - with --labels: ROC-AUC, average precision and recall at 1% false positives on the --eval logs
Prints a table and writes the best configuration as JSON for 'train --config' and 'detect --config'.
The default grid (hidden 32; bottleneck 4, 8; learning rate 0.001, 0.003; tanh; checkpoints at 5, 10 and 15
epochs; seeds 1, 2) takes a few minutes on the demo organisation.

Options:
  --eval FILE          Logs to rank and evaluate (e.g. a test period); may repeat. Default: held-out history
  --labels FILE        Ground truth for --eval: loginsight's labels.csv (simulate) or your known incidents
                       in the same columns
  -o, --out FILE       Best configuration JSON (default tune-best.json)
  --hidden LIST        Hidden widths to try, ';'-separated layer lists, e.g. "16;32;64,32"
  --bottleneck LIST    Bottlenecks to try, e.g. 4,8
  --activation LIST    Activations to try, e.g. tanh,relu
  --learning-rate LIST Learning rates to try, e.g. 0.001,0.003
  --epochs LIST        Epoch checkpoints, e.g. 5,15
  --seeds LIST         Seeds per candidate (default 1,2)
  --max-rows N         Training sample per candidate (default 15000)
  --top-k N            k of the stability measure (default 50)
  --backend B          tfjs backend: ${BACKENDS.join(', ')} (default auto)

${LOG_INPUT_HELP}

${COMMON_HELP}

Examples:
  loginsight simulate --out sim/ && loginsight tune sim/history.log --eval sim/test.log --labels sim/labels.csv
  loginsight tune --epochs 5,10,20 --bottleneck 4,6,8 /var/log/auth.log.1 -o best.json
  loginsight train --config best.json --out model/ /var/log/auth.log.1

Exit codes: 0 ok, 2 bad usage, 3 unreadable or empty input.`;

const ACTIVATIONS: readonly Activation[] = ['relu', 'elu', 'selu', 'tanh', 'sigmoid', 'linear'];

function numberList(values: Record<string, unknown>, name: string, min: number, max: number, integer: boolean): number[] | undefined {
  const raw = values[name];
  if (typeof raw !== 'string') return undefined;
  const xs = raw.split(',').map((s) => Number(s.trim()));
  if (xs.length === 0 || xs.some((x) => !Number.isFinite(x) || x < min || x > max || (integer && !Number.isInteger(x)))) {
    throw new UsageError(`--${name} must be comma-separated ${integer ? 'integers' : 'numbers'} from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return xs;
}

function fmt(x: number | null, digits = 3): string {
  return x === null || !Number.isFinite(x) ? '-' : x.toFixed(digits);
}

/** Formats the tune table (one line per candidate). */
export function formatTuneTable(rows: readonly TuneRow[], best: TuneRow | null): string {
  const head = `${'hidden'.padEnd(8)} ${'bneck'.padStart(5)} ${'act'.padEnd(6)} ${'lr'.padStart(6)} ${'ep'.padStart(3)} ${'held-out'.padStart(9)} ${'stab'.padStart(5)} ${'AUC'.padStart(5)} ${'AP'.padStart(5)} ${'R@1%'.padStart(5)} ${'sec'.padStart(5)}`;
  const lines = rows.map((r) => {
    const c = r.config;
    return (
      `${c.hidden.join(',').padEnd(8)} ${String(c.bottleneck).padStart(5)} ${c.activation.padEnd(6)} ${String(c.learningRate).padStart(6)} ${String(c.epochs).padStart(3)} ` +
      `${r.heldOutError.toPrecision(3).padStart(9)} ${fmt(r.stability, 2).padStart(5)} ${fmt(r.rocAuc).padStart(5)} ${fmt(r.averagePrecision).padStart(5)} ${fmt(r.recallAt1).padStart(5)} ${r.seconds.toFixed(0).padStart(5)}` +
      (r === best ? '  <- best' : '')
    );
  });
  return [head, ...lines].join('\n');
}

/** The `tune` command. */
export const tuneCommand: CliCommand = {
  name: 'tune',
  summary: SUMMARIES.tune,
  help: HELP,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        ...LOG_INPUT_OPTIONS,
        eval: { type: 'string', multiple: true },
        labels: { type: 'string' },
        out: { type: 'string', short: 'o' },
        hidden: { type: 'string' },
        bottleneck: { type: 'string' },
        activation: { type: 'string' },
        'learning-rate': { type: 'string' },
        epochs: { type: 'string' },
        seeds: { type: 'string' },
        'max-rows': { type: 'string' },
        'top-k': { type: 'string' },
        backend: { type: 'string' },
      },
      true,
    );
    const parse = logInputSettings(values);
    const grid: TuneGrid = {};
    const hiddenRaw = stringOption(values, 'hidden');
    if (hiddenRaw !== undefined) {
      grid.hidden = hiddenRaw.split(';').map((part) => intListOption({ hidden: part }, 'hidden') ?? []);
    }
    grid.bottleneck = numberList(values, 'bottleneck', 1, 1024, true);
    grid.learningRate = numberList(values, 'learning-rate', 1e-6, 1, false);
    grid.epochs = numberList(values, 'epochs', 1, 1000, true);
    const act = stringOption(values, 'activation');
    if (act !== undefined) {
      const xs = act.split(',').map((s) => s.trim());
      for (const a of xs) if (!(ACTIVATIONS as readonly string[]).includes(a)) throw new UsageError(`--activation must list of ${ACTIVATIONS.join(', ')}, got ${JSON.stringify(a)}`);
      grid.activation = xs as Activation[];
    }
    const seeds = numberList(values, 'seeds', 0, 2 ** 31 - 1, true);
    const maxTrainRows = numberOption(values, 'max-rows', { integer: true, min: 100, max: 10_000_000 });
    const k = numberOption(values, 'top-k', { integer: true, min: 1, max: 100_000 });
    const backend = choiceOption(values, 'backend', BACKENDS, 'auto');
    const out = resolvePath(io, stringOption(values, 'out') ?? 'tune-best.json');
    const evalFiles = (values.eval as string[] | undefined) ?? [];
    const labelsPath = stringOption(values, 'labels');
    if (labelsPath !== undefined && evalFiles.length === 0) throw new UsageError('--labels needs --eval FILE (the logs the labels describe)');
    let labels;
    if (labelsPath !== undefined) {
      try {
        labels = await readLabels(resolvePath(io, labelsPath));
      } catch (err) {
        throw new InputError(`cannot read --labels ${labelsPath}: ${(err as Error).message.split('\n')[0]}`);
      }
    }
    const quiet = flagOption(values, 'quiet');
    const json = flagOption(values, 'json');
    const progress = createProgress(io, quiet);
    let result;
    try {
      result = await tune({
        input: { files: inputsOf(positionals, io), cwd: io.cwd, stdin: io.stdin },
        evaluation: evalFiles.length ? { files: evalFiles, cwd: io.cwd } : undefined,
        labels,
        parse,
        grid,
        seeds,
        maxTrainRows,
        k,
        backend,
        onResult: (_row, done, total) => progress.update({ label: 'tuning', done, unit: 'candidates', fraction: done / total }),
      });
    } finally {
      progress.clear();
    }
    const best = result.best;
    const config = {
      format: 'loginsight.tune',
      version: 1,
      model: result.recommended,
      tuned: { ...best.config, note: `epochs on the ${result.sizes.train}-row tuning sample; model.epochs is scaled to the ${result.sizes.history}-event history` },
      criterion: result.criterion,
      metrics: { heldOutError: best.heldOutError, stability: best.stability, rocAuc: best.rocAuc, averagePrecision: best.averagePrecision, recallAt1: best.recallAt1 },
      sizes: result.sizes,
    };
    await writeFileAtomic(out, `${JSON.stringify(config, null, 2)}\n`);
    if (!quiet && !json) {
      io.stdout.write(
        `${formatTuneTable(result.rows, best)}\n\nchosen by ${result.criterion}\n` +
          `for train on the whole history: ${JSON.stringify(result.recommended)} (epochs scaled from the ${result.sizes.train}-row sample)\nwrote ${out}\n`,
      );
    }
    printSummary(io, { ...values, quiet: true }, [], json ? { command: 'tune', best: config, rows: result.rows } : undefined);
    return EXIT.ok;
  },
};

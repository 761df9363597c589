/**
 * `loginsight score --model MODEL_DIR [--out FILE] [--format jsonl|csv] FILE...`: one scored record per login event.
 *
 * @module
 */
import { writeFileAtomic } from '../io/index.js';
import { score } from '../pipeline/score.js';
import { renderHtmlReport } from '../report/html.js';
import { renderTerminalSummary } from '../report/terminal.js';
import { flagOption, numberOption, parseCommandArgs, requiredString, stringOption, exclusive } from './args.js';
import { EXIT, type CliCommand, type CliIo } from './command.js';
import {
  COMMON_HELP,
  LOG_INPUT_HELP,
  LOG_INPUT_OPTIONS,
  OUTPUT_OPTIONS,
  inputsOf,
  logInputSettings,
  n,
  outputSettings,
  printSummary,
  resolvePath,
  warn,
} from './common.js';
import { BACKENDS, pipelineProgress, withModelErrors } from './pipeline-common.js';
import { choiceOption } from './args.js';
import { createProgress } from './progress.js';
import { SUMMARIES } from './summaries.js';

const HELP = `Usage: loginsight score --model MODEL_DIR [options] FILE...

Score login events with a model from 'loginsight train'. Writes one record per login event with ECS keys
(@timestamp, event.end, host.name, process.pid, user.name, user.effective.name, source.ip, event.action,
event.outcome, ...) plus anomaly.score (higher = more unusual), anomaly.normalized (0..1, share of training
events scoring lower), anomaly.is_anomaly and anomaly.reasons (plain-language explanations).
Behavioural state continues from the training history: a host or source seen in history is not new.

Options:
  -m, --model DIR      Model directory (required)
  -o, --out FILE       Write scored events to FILE (atomically) instead of stdout
  --format F           jsonl (default) or csv (dotted column names, reasons joined with " | ")
  --nested             JSON keys as nested ECS objects instead of dotted names
  --only-anomalies     Write only flagged events
  --contamination C    Flag this share of events (by the training error distribution) instead of the model's rule
  --threshold X        Flag events whose score is above X instead of the model's rule
  --freeze-state       Do not learn behavioural state from the scored logs (default: keep learning)
  --state DIR          Carry state across runs (daily jobs): behaviour and logins still open at the end. Start
                       from the state saved in DIR (the first time: from the end of the training history) and
                       save this run's there when it succeeds; a state of another model is refused (exit 4)
  --explain-all        Give reasons for every event, not only flagged ones
  --report FILE        Also write a self-contained HTML report
  --top N              Anomalies listed in the summary (default 10)
  --backend B          tfjs backend: ${BACKENDS.join(', ')} (default auto)

${LOG_INPUT_HELP}

${COMMON_HELP}

Examples:
  loginsight score --model model/ /var/log/auth.log > scored.jsonl
  loginsight score -m model/ --out scored.csv --format csv --only-anomalies 'new/auth.log*'
  loginsight score -m model/ --report week.html --out week.jsonl test.log
  loginsight score -m model/ --state state/ --out day.jsonl /var/log/auth.log.1   (every day: yesterday is known)
  journalctl -o json -u ssh --since today | loginsight score -m model/ --envelope journald-json -

Exit codes: 0 ok, 1 anomalies found (only with --fail-on-anomaly), 2 bad usage, 3 unreadable input,
4 bad model directory (missing, tampered, or from another version).`;

/** The `score` command. */
export const scoreCommand: CliCommand = {
  name: 'score',
  summary: SUMMARIES.score,
  help: HELP,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        ...LOG_INPUT_OPTIONS,
        ...OUTPUT_OPTIONS,
        model: { type: 'string', short: 'm' },
        'only-anomalies': { type: 'boolean' },
        contamination: { type: 'string' },
        threshold: { type: 'string' },
        'freeze-state': { type: 'boolean' },
        state: { type: 'string' },
        'explain-all': { type: 'boolean' },
        report: { type: 'string' },
        top: { type: 'string' },
        backend: { type: 'string' },
        'fail-on-anomaly': { type: 'boolean' },
      },
      true,
    );
    const modelDir = resolvePath(io, requiredString(values, 'model', 'MODEL_DIR'));
    const output = outputSettings(values, io);
    const parse = logInputSettings(values);
    exclusive(values, 'contamination', 'threshold');
    exclusive(values, 'state', 'freeze-state');
    const statePath = stringOption(values, 'state');
    const stateDir = statePath === undefined ? undefined : resolvePath(io, statePath);
    const contamination = numberOption(values, 'contamination', { min: 1e-6, max: 0.5 });
    const thresholdValue = numberOption(values, 'threshold', { min: 0 });
    const top = numberOption(values, 'top', { integer: true, min: 1, max: 1000 }, 10) as number;
    const backend = choiceOption(values, 'backend', BACKENDS, 'auto');
    const reportPath = stringOption(values, 'report');
    const progress = createProgress(io, flagOption(values, 'quiet'));
    return withModelErrors(io, 'score', async () => {
      let result;
      try {
        result = await score({
          input: { files: inputsOf(positionals, io), cwd: io.cwd, stdin: io.stdin },
          modelDir,
          backend,
          parse,
          out: output.out ?? io.stdout,
          format: output.format,
          nested: output.style === 'nested',
          onlyAnomalies: flagOption(values, 'only-anomalies'),
          omitNull: output.omitNull,
          updateState: !flagOption(values, 'freeze-state'),
          stateDir,
          explain: flagOption(values, 'explain-all') ? 'all' : 'anomalies',
          threshold: contamination !== undefined ? { contamination } : thresholdValue !== undefined ? { value: thresholdValue } : undefined,
          onProgress: pipelineProgress(progress),
        });
      } finally {
        progress.clear();
      }
      if (reportPath !== undefined) {
        await writeFileAtomic(resolvePath(io, reportPath), renderHtmlReport({ ...result.report, title: 'loginsight: scored logins' }));
      }
      const text = [
        `score: ${n(result.lines)} lines, ${n(result.events)} login events, ${n(result.anomalies)} flagged (threshold ${result.threshold.toPrecision(4)})`,
      ];
      if (output.out !== null) text.push(`  wrote ${output.out}`);
      const st = result.state;
      if (st !== undefined) {
        const from = st.continued ? `continued the state of ${n(st.previousRuns)} earlier run(s), ${n(st.previousEvents)} events` : 'first run: started from the end of the training history';
        text.push(`  state ${st.dir}: ${from}; ${st.saved ? 'saved' : 'NOT saved'}`);
        if (st.overlapEvents > 0) {
          warn(
            io,
            values,
            'score',
            `${n(st.overlapEvents)} events start before the end of the saved state (${new Date(st.previousLastEventTime ?? 0).toISOString()}): were these logs scored before? They now count twice in the behavioural history`,
          );
        }
      }
      if (reportPath !== undefined) text.push(`  wrote ${resolvePath(io, reportPath)}`);
      if (result.events > 0 && !flagOption(values, 'json')) {
        text.push('', renderTerminalSummary({ ...result.report, title: 'scored logins' }, { top, maxLines: 30 }));
      }
      printSummary(io, values, text, {
        command: 'score',
        modelDir,
        lines: result.lines,
        events: result.events,
        anomalies: result.anomalies,
        threshold: result.threshold,
        incidents: result.incidents.map((i) => ({ kind: i.kind, summary: i.summary, start: i.start, end: i.end, events: i.eventCount })),
        output: output.out,
        report: reportPath === undefined ? null : resolvePath(io, reportPath),
        state: result.state ?? null,
        counters: result.counters,
      });
      return flagOption(values, 'fail-on-anomaly') && result.anomalies > 0 ? EXIT.findings : EXIT.ok;
    });
  },
};

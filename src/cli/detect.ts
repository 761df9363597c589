/**
 * `loginsight detect FILE...`: the one-shot job — train on the logs and score the same logs, print the top
 * anomalies and incidents, write the scored events and an HTML report.
 *
 * @module
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/index.js';
import { detect } from '../pipeline/detect.js';
import { renderHtmlReport } from '../report/html.js';
import { renderTerminalSummary } from '../report/terminal.js';
import { choiceOption, flagOption, numberOption, parseCommandArgs, stringOption } from './args.js';
import { EXIT, InputError, UsageError, type CliCommand, type CliIo } from './command.js';
import { COMMON_HELP, LOG_INPUT_HELP, LOG_INPUT_OPTIONS, inputsOf, logInputSettings, resolvePath } from './common.js';
import { MODEL_HELP, MODEL_OPTIONS, modelSettings, pipelineProgress } from './pipeline-common.js';
import { createProgress } from './progress.js';
import { SUMMARIES } from './summaries.js';

const HELP = `Usage: loginsight detect [options] FILE...

The main job in one command, without labels: learn what is normal from the logs themselves, score every
login event, and print the most unusual ones with plain-language reasons, grouped into incidents.
Each event is scored with features computed only from the events before it (no look-ahead).
The summary goes to stdout; scored events, incidents and an HTML report go to --out-dir.

Options:
  --contamination C    Expected share of anomalies, sets the threshold (default 0.01)
  --out-dir DIR        Write events.jsonl (or events.csv), incidents.json, summary.json and report.html
  --report FILE        Write the HTML report to FILE (default DIR/report.html with --out-dir)
  --model-out DIR      Also save the trained model (for 'loginsight score' on later logs)
  --top N              Anomalies listed in the summary (default 20)
  --format F           Scored events as jsonl (default) or csv
  --nested             Nested JSON objects instead of dotted ECS keys
  --only-anomalies     Write only flagged events to the events file
  --fail-on-anomaly    Exit with code 1 when anything is flagged (for cron jobs and CI)
  --temp-dir DIR       Where to keep the temporary event spool and row cache

${MODEL_HELP}

${LOG_INPUT_HELP}

${COMMON_HELP}
  (detect prints its summary, or with --json one JSON object, on stdout)

Examples:
  loginsight detect /var/log/auth.log* --out-dir findings/
  loginsight detect --contamination 0.005 --top 10 --report week.html 'logs/**/secure*.gz'
  loginsight detect --json --fail-on-anomaly auth.log > summary.json

Exit codes: 0 ok, 1 anomalies found (only with --fail-on-anomaly), 2 bad usage, 3 unreadable or empty input.`;

/** The `detect` command. */
export const detectCommand: CliCommand = {
  name: 'detect',
  summary: SUMMARIES.detect,
  help: HELP,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        ...LOG_INPUT_OPTIONS,
        ...MODEL_OPTIONS,
        contamination: { type: 'string' },
        'out-dir': { type: 'string' },
        report: { type: 'string' },
        'model-out': { type: 'string' },
        top: { type: 'string' },
        format: { type: 'string' },
        nested: { type: 'boolean' },
        'only-anomalies': { type: 'boolean' },
        'fail-on-anomaly': { type: 'boolean' },
        'temp-dir': { type: 'string' },
      },
      true,
    );
    const parse = logInputSettings(values);
    const m = modelSettings(values, io.cwd);
    const contamination = numberOption(values, 'contamination', { min: 1e-6, max: 0.5 }, 0.01) as number;
    const top = numberOption(values, 'top', { integer: true, min: 1, max: 1000 }, 20) as number;
    const format = choiceOption(values, 'format', ['jsonl', 'csv'] as const, 'jsonl');
    if (format === 'csv' && flagOption(values, 'nested')) throw new UsageError('--nested applies to JSON Lines only');
    const outDirRaw = stringOption(values, 'out-dir');
    const outDir = outDirRaw === undefined ? null : resolvePath(io, outDirRaw);
    const reportRaw = stringOption(values, 'report');
    const reportPath = reportRaw !== undefined ? resolvePath(io, reportRaw) : outDir !== null ? join(outDir, 'report.html') : null;
    const modelOutRaw = stringOption(values, 'model-out');
    const tempDir = stringOption(values, 'temp-dir');
    if (outDir !== null) {
      try {
        await mkdir(outDir, { recursive: true });
      } catch (err) {
        throw new InputError(`cannot create --out-dir ${outDir}: ${(err as Error).message}`);
      }
    }
    const progress = createProgress(io, flagOption(values, 'quiet'));
    let result;
    try {
      result = await detect({
        input: { files: inputsOf(positionals, io), cwd: io.cwd, stdin: io.stdin },
        parse,
        model: m.model,
        epochs: m.epochs,
        seed: m.seed,
        backend: m.backend,
        contamination,
        out: modelOutRaw === undefined ? undefined : resolvePath(io, modelOutRaw),
        eventsOut: outDir === null ? undefined : join(outDir, format === 'csv' ? 'events.csv' : 'events.jsonl'),
        format,
        nested: flagOption(values, 'nested'),
        onlyAnomalies: flagOption(values, 'only-anomalies'),
        keep: Math.max(2000, top),
        tempDir: tempDir === undefined ? undefined : resolvePath(io, tempDir),
        onProgress: pipelineProgress(progress),
      });
    } finally {
      progress.clear();
    }
    const report = { ...result.report, title: 'loginsight: unusual logins' };
    const summary = {
      command: 'detect',
      lines: result.lines,
      events: result.events,
      anomalies: result.anomalies,
      threshold: result.threshold,
      contamination,
      period: { start: report.input.periodStart, end: report.input.periodEnd },
      top: result.top.slice(0, top).filter((s) => s.isAnomaly).map((s) => ({
        '@timestamp': new Date(s.event.timestamp).toISOString(),
        'host.name': s.event.hostName,
        'user.name': s.event.userName,
        'source.ip': s.event.sourceIp,
        'event.action': s.event.action,
        'event.outcome': s.event.outcome,
        'anomaly.score': s.score,
        'anomaly.normalized': s.normalized,
        'anomaly.reasons': s.reasons,
      })),
      incidents: result.incidents.map((i) => ({
        id: i.id,
        kind: i.kind,
        summary: i.summary,
        start: new Date(i.start).toISOString(),
        end: new Date(i.end).toISOString(),
        events: i.eventCount,
        users: i.users,
        hosts: i.hosts,
        sources: i.sources,
      })),
      outputs: {
        events: outDir === null ? null : join(outDir, format === 'csv' ? 'events.csv' : 'events.jsonl'),
        report: reportPath,
        model: modelOutRaw === undefined ? null : resolvePath(io, modelOutRaw),
      },
      warnings: result.warnings,
      timings: result.timings,
      counters: result.counters,
    };
    if (reportPath !== null) await writeFileAtomic(reportPath, renderHtmlReport(report));
    if (outDir !== null) {
      await writeFileAtomic(join(outDir, 'incidents.json'), `${JSON.stringify(summary.incidents, null, 2)}\n`);
      await writeFileAtomic(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    }
    result.training.trained.model.dispose?.();
    if (flagOption(values, 'json')) io.stdout.write(`${JSON.stringify(summary)}\n`);
    else if (!flagOption(values, 'quiet')) {
      const cols = (io.stdout as { columns?: number }).columns;
      io.stdout.write(`${renderTerminalSummary(report, { top, width: cols ? Math.min(100, cols) : 100 })}\n`);
      const wrote = [summary.outputs.events, reportPath, summary.outputs.model].filter((x): x is string => x !== null);
      if (wrote.length) io.stderr.write(`detect: wrote ${wrote.join(', ')}\n`);
    }
    return flagOption(values, 'fail-on-anomaly') && result.anomalies > 0 ? EXIT.findings : EXIT.ok;
  },
};

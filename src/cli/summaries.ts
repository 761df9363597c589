/**
 * One line per command for `loginsight --help`. Kept apart from the commands themselves so the command list can be
 * printed without loading any command (and the tfjs modules the pipeline commands pull in).
 *
 * @module
 */

/** The summary of every command, by name, in the order `loginsight --help` lists them. */
export const SUMMARIES = {
  parse: 'parse auth-log lines into ECS records (one JSON object per line)',
  events: 'assemble auth-log lines into login events (JSON Lines or CSV)',
  simulate: 'write a simulated, labelled organisation (history.log, test.log, labels.csv)',
  train: 'train a model on history logs and write a model directory',
  score: 'score login events with a trained model (ECS JSON Lines or CSV with anomaly.* fields)',
  detect: 'train and score the same logs: top anomalies, incidents, HTML report',
  tune: 'validate and search model settings (held-out error, seed stability, labels)',
  evaluate: 'evaluate scored events against simulator labels (ROC-AUC, AP, recall at 1% FPR, ...)',
} as const;

/** A command name. */
export type CommandName = keyof typeof SUMMARIES;

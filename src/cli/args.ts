/**
 * Option parsing for the commands: `node:util` `parseArgs` in strict mode, wrapped so that every mistake becomes a
 * one-line {@link UsageError} that names the option and says what is allowed, plus validators for numbers,
 * durations and choices.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { UsageError } from './command.js';

/** One option of a command. */
export interface OptionSpec {
  /** `'string'` options take a value, `'boolean'` ones are flags. */
  type: 'string' | 'boolean';
  /** One-letter alias (`-o`). */
  short?: string;
  /** May be given more than once (values collected in an array). */
  multiple?: boolean;
}

/** The options a command accepts (long name without `--` -> spec). */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** Parsed values: strings (or string arrays for `multiple`), booleans, or undefined when absent. */
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** The result of {@link parseCommandArgs}. */
export interface ParsedArgs {
  /** Option values by long name. */
  values: OptionValues;
  /** Positional arguments (files), in order. */
  positionals: string[];
}

/** Options every command accepts (bin handles `--help`; the commands read `--quiet` and `--json`). */
export const COMMON_OPTIONS: OptionSpecs = {
  help: { type: 'boolean', short: 'h' },
  quiet: { type: 'boolean', short: 'q' },
  json: { type: 'boolean' },
};

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

function allowedList(specs: OptionSpecs): string {
  return Object.keys(specs)
    .map((k) => `--${k}`)
    .join(', ');
}

/** Suggests the closest known option for a mistyped one. */
function suggest(name: string, specs: OptionSpecs): string {
  let best = '';
  let bestD = Infinity;
  for (const k of Object.keys(specs)) {
    const d = editDistance(name, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return bestD <= Math.max(1, Math.floor(name.length / 3)) ? ` (did you mean --${best}?)` : '';
}

/**
 * Parses a command's argv strictly. Unknown options, missing values, values given to flags and unexpected
 * positionals become {@link UsageError}s naming the option and listing the allowed ones.
 *
 * @param allowPositionals Whether files (positional arguments) are accepted.
 */
export function parseCommandArgs(argv: readonly string[], specs: OptionSpecs, allowPositionals: boolean): ParsedArgs {
  const all: OptionSpecs = { ...COMMON_OPTIONS, ...specs };
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: all as Record<string, OptionSpec>,
      strict: true,
      allowPositionals,
    });
    return { values: values as OptionValues, positionals };
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const msg = e.message ?? String(err);
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const m = /Unknown option '([^']+)'/.exec(msg);
      const raw = m?.[1] ?? '';
      const name = raw.replace(/^-+/, '');
      throw new UsageError(`unknown option ${raw}${suggest(name, all)}; allowed: ${allowedList(all)}`);
    }
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const m = /Option '(?:-\w, )?(--[\w-]+)/.exec(msg);
      const opt = m?.[1] ?? 'an option';
      if (/argument missing/.test(msg)) throw new UsageError(`option ${opt} needs a value`);
      if (/does not take an argument/.test(msg)) throw new UsageError(`option ${opt} is a flag and takes no value`);
      throw new UsageError(`option ${opt}: ${msg}`);
    }
    if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const m = /Unexpected argument '([^']*)'/.exec(msg);
      throw new UsageError(`unexpected argument '${m?.[1] ?? ''}': this command takes no file arguments`);
    }
    throw new UsageError(msg.split('\n')[0]);
  }
}

/** A string option's last value, or undefined. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) {
    const last = v[v.length - 1];
    return typeof last === 'string' ? last : undefined;
  }
  return typeof v === 'string' ? v : undefined;
}

/** A boolean flag's value (false when absent). */
export function flagOption(values: OptionValues, name: string): boolean {
  return values[name] === true;
}

/** Range of a numeric option. */
export interface NumberRange {
  min?: number;
  max?: number;
  /** Require an integer. */
  integer?: boolean;
}

function describeRange(r: NumberRange): string {
  const kind = r.integer === true ? 'an integer' : 'a number';
  if (r.min !== undefined && r.max !== undefined) return `${kind} from ${r.min} to ${r.max}`;
  if (r.min !== undefined) return `${kind} >= ${r.min}`;
  if (r.max !== undefined) return `${kind} <= ${r.max}`;
  return kind;
}

/**
 * Parses a numeric option; returns `fallback` when absent.
 *
 * @throws UsageError `--hosts must be an integer from 3 to 100000, got "abc"`.
 */
export function numberOption(values: OptionValues, name: string, range: NumberRange, fallback?: number): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return fallback;
  const text = raw.trim().replace(/_/g, '');
  const n = text === '' ? NaN : Number(text);
  const ok =
    Number.isFinite(n) &&
    (range.integer !== true || Number.isInteger(n)) &&
    (range.min === undefined || n >= range.min) &&
    (range.max === undefined || n <= range.max);
  if (!ok) throw new UsageError(`--${name} must be ${describeRange(range)}, got ${JSON.stringify(raw)}`);
  return n;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a duration option (`500ms`, `30s`, `5m`, `2h`, `7d`; a bare number means seconds) into milliseconds.
 *
 * @throws UsageError naming the option and the accepted forms.
 */
export function durationOption(values: OptionValues, name: string, range: { minMs?: number; maxMs?: number } = {}): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(raw);
  const ms = m === null ? NaN : Number(m[1]) * DURATION_UNITS[m[2] ?? 's'];
  const min = range.minMs ?? 0;
  const max = range.maxMs ?? 3660 * 86_400_000;
  if (!Number.isFinite(ms) || ms < min || ms > max) {
    throw new UsageError(
      `--${name} must be a duration like 500ms, 30s, 5m, 2h or 7d (a bare number is seconds) from ${min} ms to ${max / 86_400_000} days, got ${JSON.stringify(raw)}`,
    );
  }
  return ms;
}

/**
 * Parses an option restricted to a set of words; returns `fallback` when absent.
 *
 * @throws UsageError `--format must be one of jsonl, csv, got "xml"`.
 */
export function choiceOption<T extends string>(values: OptionValues, name: string, choices: readonly T[], fallback: T): T;
export function choiceOption<T extends string>(values: OptionValues, name: string, choices: readonly T[]): T | undefined;
export function choiceOption<T extends string>(values: OptionValues, name: string, choices: readonly T[], fallback?: T): T | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(raw)}`);
  }
  return raw as T;
}

/** Requires a string option. @throws UsageError `missing required option --out`. */
export function requiredString(values: OptionValues, name: string, what: string): string {
  const v = stringOption(values, name);
  if (v === undefined || v === '') throw new UsageError(`missing required option --${name} ${what}`);
  return v;
}

/** Rejects mutually exclusive flags given together. */
export function exclusive(values: OptionValues, ...names: string[]): void {
  const given = names.filter((n) => values[n] !== undefined && values[n] !== false);
  if (given.length > 1) throw new UsageError(`options ${given.map((n) => `--${n}`).join(' and ')} cannot be used together`);
}

/**
 * Command-line options of the bench scripts: `--name value` pairs read from `process.argv`.
 *
 * @module
 */

/** The positive number after `--name`, or `dflt`. @throws naming the option when it is not a positive number. */
export function numberArg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

/** The text after `--name`, or null. */
export function stringArg(name: string): string | null {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? null : (process.argv[i + 1] ?? null);
}

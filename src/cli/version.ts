/**
 * The package version, inlined at build time from package.json.
 *
 * @module
 */
import pkg from '../../package.json' with { type: 'json' };

/** The loginsight version (`package.json` `version`). */
export const VERSION: string = (pkg as { version: string }).version;

/**
 * TensorFlow.js backend selection: tfjs-node (`tensorflow`) when installed, else WebAssembly, else plain JS (`cpu`).
 *
 * Nothing here runs at import time: backends are loaded by {@link selectBackend} on first use, and their console
 * chatter (install banners, "platform already set", "kernel already registered") is swallowed unless `verbose`.
 * The process-wide `uncaughtException` / `unhandledRejection` listeners that the wasm backend's Emscripten runtime
 * installs (they rethrow) are removed again.
 *
 * @module
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as tfc from '@tensorflow/tfjs-core';

/** The few members of a `tf` namespace (tfjs-core, @tensorflow/tfjs, tfjs-node, tfjs-node-gpu) this module uses. */
export interface TfNamespace {
  /** Activate a registered backend; resolves false when its initialisation failed. */
  setBackend(name: string): Promise<boolean>;
  /** Name of the active backend. */
  getBackend(): string;
  /** The engine; only its backend registry is read. */
  engine(): { registryFactory: Record<string, unknown> };
}

/** Backend names understood by {@link selectBackend}; any other registered tfjs backend name is accepted too. */
export type BackendName = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /** A `tf` namespace to use instead of the bundled tfjs-core (e.g. `require('@tensorflow/tfjs-node-gpu')`). */
  tf?: TfNamespace;
  /** Let tfjs print its banners and warnings while backends load (default false: silent). */
  verbose?: boolean;
  /** Loads a module by name (default: dynamic `import()`); injectable for tests and bundlers. */
  importModule?: (specifier: string) => Promise<unknown>;
  /** Resolves a module name to a path, or null when it is not installed (default: `require.resolve`). */
  resolveModule?: (specifier: string) => string | null;
  /** Folder (or URL prefix) holding the tfjs-backend-wasm `.wasm` files (default: found in node_modules). */
  wasmPath?: string;
}

/** Package name of the optional native backend. */
export const TFJS_NODE = '@tensorflow/tfjs-node';
const TFJS_WASM = '@tensorflow/tfjs-backend-wasm';
const TFJS_CPU = '@tensorflow/tfjs-backend-cpu';

/** The location of this file, in the ESM build and in the CommonJS build (where `import.meta` is empty). */
function moduleBase(): string {
  if (typeof __filename === 'string' && __filename.length > 0) return __filename;
  return import.meta.url;
}

let cachedRequire: NodeRequire | undefined;
function localRequire(): NodeRequire {
  cachedRequire ??= createRequire(moduleBase());
  return cachedRequire;
}

/** Default resolver: `require.resolve` from this package's location, null when absent. */
export function defaultResolveModule(specifier: string): string | null {
  try {
    return localRequire().resolve(specifier);
  } catch {
    return null;
  }
}

function defaultImportModule(specifier: string): Promise<unknown> {
  return import(specifier);
}

/**
 * The folder holding the tfjs-backend-wasm binaries (`tfjs-backend-wasm*.wasm`), found via `require.resolve`, with
 * a trailing separator so it can be used as a `setWasmPaths` prefix. Null when the package cannot be resolved.
 */
export function locateWasmDir(resolveModule: (s: string) => string | null = defaultResolveModule): string | null {
  const main = resolveModule(TFJS_WASM);
  if (main === null) return null;
  return path.dirname(main) + path.sep;
}

/** Runs `fn` with console.log/info/warn/debug silenced unless `verbose`. */
export async function quietly<T>(verbose: boolean, fn: () => Promise<T>): Promise<T> {
  if (verbose) return fn();
  const saved = { log: console.log, info: console.info, warn: console.warn, debug: console.debug };
  const mute = (): void => {};
  console.log = mute;
  console.info = mute;
  console.warn = mute;
  console.debug = mute;
  try {
    return await fn();
  } finally {
    console.log = saved.log;
    console.info = saved.info;
    console.warn = saved.warn;
    console.debug = saved.debug;
  }
}

let wasmPathsSet = false;

const PROCESS_EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

/**
 * Runs `fn` and removes any `uncaughtException` / `unhandledRejection` listeners it added. The Emscripten runtime
 * of tfjs-backend-wasm installs listeners that rethrow, which would defeat an application's own handlers.
 */
async function withoutNewProcessListeners<T>(fn: () => Promise<T>): Promise<T> {
  type Listener = (...args: unknown[]) => void;
  const proc = process as unknown as {
    listeners(e: string): Listener[];
    removeListener(e: string, l: Listener): unknown;
  };
  const before = PROCESS_EVENTS.map((e) => new Set(proc.listeners(e)));
  try {
    return await fn();
  } finally {
    PROCESS_EVENTS.forEach((e, i) => {
      // Only the rethrowing ones: a listener someone else added meanwhile survives.
      for (const l of proc.listeners(e)) if (!before[i].has(l) && /\bthrow\b/.test(String(l))) proc.removeListener(e, l);
    });
  }
}

function registered(tf: TfNamespace): string[] {
  return Object.keys(tf.engine().registryFactory);
}

async function loadCpu(opts: Required<Pick<SelectBackendOptions, 'importModule'>>, tf: TfNamespace): Promise<void> {
  if (!registered(tf).includes('cpu')) await opts.importModule(TFJS_CPU);
}

async function loadWasm(
  opts: Required<Pick<SelectBackendOptions, 'importModule' | 'resolveModule'>> & { wasmPath?: string },
  tf: TfNamespace,
): Promise<void> {
  if (registered(tf).includes('wasm')) return;
  const mod = (await opts.importModule(TFJS_WASM)) as { setWasmPaths?: (p: string) => void };
  if (!wasmPathsSet && typeof mod.setWasmPaths === 'function') {
    const dir = opts.wasmPath ?? locateWasmDir(opts.resolveModule);
    if (dir !== null) {
      const prefix = dir.endsWith('/') || dir.endsWith(path.sep) ? dir : dir + path.sep;
      mod.setWasmPaths(prefix);
    }
    wasmPathsSet = true;
  }
}

async function loadTensorflow(
  opts: Required<Pick<SelectBackendOptions, 'importModule' | 'resolveModule'>>,
  tf: TfNamespace,
  required: boolean,
): Promise<boolean> {
  if (registered(tf).includes('tensorflow')) return true;
  if (opts.resolveModule(TFJS_NODE) === null) {
    if (!required) return false;
    throw new Error(
      `backend 'tensorflow' needs ${TFJS_NODE}, which is not installed: run \`npm install ${TFJS_NODE}\` ` +
        `(or pass your own tf namespace as option tf), or choose backend 'wasm' or 'cpu'`,
    );
  }
  try {
    await opts.importModule(TFJS_NODE);
  } catch (err) {
    if (!required) return false;
    throw new Error(`backend 'tensorflow': loading ${TFJS_NODE} failed: ${(err as Error).message}`);
  }
  if (registered(tf).includes('tensorflow')) return true;
  if (!required) return false;
  throw new Error(`backend 'tensorflow': ${TFJS_NODE} loaded but registered no 'tensorflow' backend`);
}

async function activate(tf: TfNamespace, name: string): Promise<boolean> {
  if (tf.getBackend() === name) return true;
  const ok = await tf.setBackend(name);
  if (tf !== (tfc as unknown as TfNamespace)) return ok;
  // The cpu backend prints its "install tfjs-node" banner on the first tensor write: make that write here, while
  // the console is muted.
  if (ok) tfc.dispose(tfc.scalar(0));
  return ok;
}

/**
 * Load and activate a tfjs backend, returning the name of the active backend.
 *
 * - `'auto'`: `tensorflow` when it is already registered (you imported tfjs-node yourself or passed its `tf`) or when
 *   `@tensorflow/tfjs-node` can be resolved (it is then imported, and only then); else `wasm`; else `cpu`.
 * - `'tensorflow' | 'wasm' | 'cpu'`: exactly that backend, or an Error saying why it is unavailable.
 * - any other string: a backend registered by the caller (e.g. `webgpu`), else an Error listing the registered ones.
 *
 * tfjs backends are process-wide: this switches the backend for every tfjs user in the process.
 */
export async function selectBackend(
  preference: BackendName | (string & {}) = 'auto',
  options: SelectBackendOptions = {},
): Promise<string> {
  if (typeof preference !== 'string' || preference.length === 0) {
    throw new Error(`option backend must be 'auto', 'tensorflow', 'wasm', 'cpu' or a registered tfjs backend name; got ${String(preference)}`);
  }
  const tf: TfNamespace = options.tf ?? (tfc as unknown as TfNamespace);
  const opts = {
    importModule: options.importModule ?? defaultImportModule,
    resolveModule: options.resolveModule ?? defaultResolveModule,
    wasmPath: options.wasmPath,
  };
  const verbose = options.verbose === true;
  return quietly(verbose, () => withoutNewProcessListeners(async () => {
    switch (preference) {
      case 'auto': {
        if (await loadTensorflow(opts, tf, false)) {
          if (await activate(tf, 'tensorflow')) return 'tensorflow';
        }
        try {
          await loadWasm(opts, tf);
          if (await activate(tf, 'wasm')) return 'wasm';
        } catch {
          // fall through to cpu
        }
        await loadCpu(opts, tf);
        if (await activate(tf, 'cpu')) return 'cpu';
        throw new Error(`backend 'auto': no tfjs backend could be initialised (tried tensorflow, wasm, cpu)`);
      }
      case 'tensorflow':
        await loadTensorflow(opts, tf, true);
        break;
      case 'wasm':
        try {
          await loadWasm(opts, tf);
        } catch (err) {
          throw new Error(`backend 'wasm': loading ${TFJS_WASM} failed: ${(err as Error).message}`);
        }
        break;
      case 'cpu':
        await loadCpu(opts, tf);
        break;
      default:
        if (!registered(tf).includes(preference)) {
          throw new Error(
            `option backend: unknown tfjs backend '${preference}'; allowed: 'auto', 'tensorflow', 'wasm', 'cpu' ` +
              `or a registered backend (registered now: ${registered(tf).join(', ') || 'none'})`,
          );
        }
    }
    if (!(await activate(tf, preference))) {
      throw new Error(`backend '${preference}' failed to initialise (run with verbose: true to see tfjs's message)`);
    }
    return preference;
  }));
}

/**
 * Atomic output files: data goes to `<path>.tmp-<pid>-<random>` and is renamed onto `<path>` only when the
 * writer finishes successfully; on failure the temporary file is deleted. A reader therefore never sees a
 * partial output file that looks complete. Open temporary files are tracked so a signal handler can remove them
 * ({@link removeOpenTempFilesSync}).
 *
 * @module
 */
import { createWriteStream, readdirSync, unlinkSync, type WriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { InputError } from '../cli/command.js';
import { describeFsError } from './glob.js';

const openTempFiles = new Set<string>();

const watchedDirs = new Set<string>();

/**
 * Watches a directory that other code writes `<name>.tmp-<pid>-...` files into (e.g. `writeSimulation`), so that
 * {@link removeOpenTempFilesSync} also deletes this process's temporary files there. Returns the un-watch function.
 */
export function watchTempDir(dir: string): () => void {
  const d = resolve(dir);
  watchedDirs.add(d);
  return () => {
    watchedDirs.delete(d);
  };
}

/**
 * Synchronously deletes every temporary file of an uncommitted {@link AtomicFile}, and this process's
 * `*.tmp-<pid>-*` files in directories given to {@link watchTempDir} (for SIGINT/SIGTERM handlers).
 */
export function removeOpenTempFilesSync(): void {
  for (const p of openTempFiles) {
    try {
      unlinkSync(p);
    } catch {
      /* already gone */
    }
  }
  openTempFiles.clear();
  const marker = `.tmp-${process.pid}-`;
  for (const d of watchedDirs) {
    try {
      for (const name of readdirSync(d)) {
        if (name.includes(marker)) {
          try {
            unlinkSync(join(d, name));
          } catch {
            /* already gone */
          }
        }
      }
    } catch {
      /* directory gone */
    }
  }
}

/** Writes `chunk` and waits for `drain` when the stream's buffer is full; rejects if the stream errors or closes. */
export async function writeWithBackpressure(stream: Writable, chunk: string | Uint8Array): Promise<void> {
  if (stream.destroyed || stream.writableEnded) throw streamClosedError(stream);
  if (stream.write(chunk)) return;
  await waitDrain(stream);
}

function streamClosedError(stream: Writable): Error {
  const err = (stream as Writable & { errored?: Error | null }).errored;
  return err ?? Object.assign(new Error('output stream closed'), { code: 'ERR_STREAM_DESTROYED' });
}

/** Resolves on `drain`; rejects on `error` or `close` (a closed stream never drains). */
export function waitDrain(stream: Writable): Promise<void> {
  if (!stream.writableNeedDrain) return Promise.resolve();
  return new Promise<void>((resolvePromise, reject) => {
    const cleanup = (): void => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onDrain = (): void => {
      cleanup();
      resolvePromise();
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onClose = (): void => {
      cleanup();
      reject(streamClosedError(stream));
    };
    stream.on('drain', onDrain);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

/** Ends a writable and waits until everything is flushed (`finish`), rejecting on error. */
export function endStream(stream: Writable): Promise<void> {
  return new Promise<void>((resolvePromise, reject) => {
    if (stream.writableFinished) {
      resolvePromise();
      return;
    }
    const onError = (err: Error): void => {
      stream.off('finish', onFinish);
      reject(err);
    };
    const onFinish = (): void => {
      stream.off('error', onError);
      resolvePromise();
    };
    stream.once('error', onError);
    stream.once('finish', onFinish);
    stream.end();
  });
}

/**
 * A file written atomically. Write through {@link AtomicFile.stream}, then {@link AtomicFile.commit} (flush, close,
 * rename onto the target) or {@link AtomicFile.abort} (close and delete the temporary file).
 */
export class AtomicFile {
  /** The final path. */
  readonly path: string;
  /** The temporary path written to until commit. */
  readonly tempPath: string;
  /** The stream writing the temporary file. */
  readonly stream: WriteStream;
  private done = false;

  private constructor(path: string, tempPath: string, stream: WriteStream) {
    this.path = path;
    this.tempPath = tempPath;
    this.stream = stream;
  }

  /**
   * Creates the temporary file next to `path` (same directory, so the rename is atomic). The directory must exist.
   *
   * @throws Error naming the path when the file cannot be created.
   */
  static async open(path: string): Promise<AtomicFile> {
    const target = resolve(path);
    try {
      if ((await stat(target)).isDirectory()) throw new InputError(`cannot write ${path}: is a directory`);
    } catch (err) {
      if (err instanceof InputError) throw err;
      // does not exist yet: fine
    }
    const tempPath = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    const stream = createWriteStream(tempPath, { flags: 'wx', highWaterMark: 1 << 20 });
    openTempFiles.add(tempPath);
    try {
      await new Promise<void>((res, rej) => {
        stream.once('open', () => res());
        stream.once('error', rej);
      });
    } catch (err) {
      openTempFiles.delete(tempPath);
      throw new InputError(`cannot write ${path}: ${describeFsError(err)}`);
    }
    return new AtomicFile(target, tempPath, stream);
  }

  /** Flushes and closes the temporary file, then renames it onto {@link AtomicFile.path}. */
  async commit(): Promise<void> {
    if (this.done) return;
    this.done = true;
    try {
      await endStream(this.stream);
      await new Promise<void>((res) => (this.stream.closed ? res() : this.stream.once('close', () => res())));
      await rename(this.tempPath, this.path);
      openTempFiles.delete(this.tempPath);
    } catch (err) {
      await this.removeTemp();
      throw new InputError(`cannot write ${this.path}: ${describeFsError(err)}`);
    }
  }

  /** Discards the output: closes and deletes the temporary file. Safe to call more than once. */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.removeTemp();
  }

  private async removeTemp(): Promise<void> {
    if (!this.stream.closed) {
      await new Promise<void>((res) => {
        this.stream.once('close', () => res());
        this.stream.destroy();
      });
    }
    await rm(this.tempPath, { force: true });
    openTempFiles.delete(this.tempPath);
  }
}

/**
 * Writes a whole file atomically from a string or bytes (small outputs: labels, JSON summaries, reports).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const file = await AtomicFile.open(path);
  try {
    await writeWithBackpressure(file.stream, data);
  } catch (err) {
    await file.abort();
    throw err;
  }
  await file.commit();
}

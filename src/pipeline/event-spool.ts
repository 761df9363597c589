/**
 * A temporary on-disk spool of login events (one JSON array per line, properties in a fixed order), so the
 * pipeline can make a second pass over events from a one-shot input without parsing the logs again.
 *
 * @module
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { emptyEvent, type LoginEvent } from '../assemble/event.js';

const KEYS = Object.keys(emptyEvent('ssh_session', 0)) as (keyof LoginEvent)[];

/** Serialises an event as a JSON array in {@link KEYS} order. */
function encode(e: LoginEvent): string {
  const values = new Array<unknown>(KEYS.length);
  for (let i = 0; i < KEYS.length; i++) values[i] = e[KEYS[i]];
  return JSON.stringify(values);
}

function decode(line: string): LoginEvent {
  const values = JSON.parse(line) as unknown[];
  const e = emptyEvent('ssh_session', 0) as unknown as Record<string, unknown>;
  for (let i = 0; i < KEYS.length; i++) e[KEYS[i]] = values[i];
  return e as unknown as LoginEvent;
}

/** Append-then-read spool of events in a temp file. Call {@link EventSpool.dispose} when done. */
export class EventSpool {
  private out: WriteStream | null;
  private count = 0;

  private constructor(
    /** Path of the spool file. */
    readonly path: string,
    private readonly dir: string,
  ) {
    this.out = createWriteStream(path, { encoding: 'utf8' });
  }

  /** Creates an empty spool in a fresh temp directory under `parentDir` (default the OS temp dir). */
  static async create(parentDir: string = tmpdir()): Promise<EventSpool> {
    const dir = await mkdtemp(join(parentDir, 'loginsight-events-'));
    return new EventSpool(join(dir, 'events.jsonl'), dir);
  }

  /** Events appended. */
  get events(): number {
    return this.count;
  }

  /** Appends a batch of events (waits when the file stream is full). */
  async append(events: readonly LoginEvent[]): Promise<void> {
    if (!this.out) throw new Error('EventSpool: append after seal');
    if (events.length === 0) return;
    let text = '';
    for (const e of events) text += `${encode(e)}\n`;
    this.count += events.length;
    if (!this.out.write(text)) await once(this.out, 'drain');
  }

  /** Ends writing. */
  async seal(): Promise<void> {
    const out = this.out;
    if (!out) return;
    this.out = null;
    await new Promise<void>((resolve, reject) => {
      out.once('error', reject);
      out.end(() => resolve());
    });
  }

  /** Reads the events back in order, in batches of up to `batchSize`. */
  async *batches(batchSize = 4096): AsyncGenerator<LoginEvent[]> {
    await this.seal();
    const rl = createInterface({ input: createReadStream(this.path, { encoding: 'utf8' }), crlfDelay: Infinity });
    let batch: LoginEvent[] = [];
    for await (const line of rl) {
      if (line.length === 0) continue;
      batch.push(decode(line));
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  /** Closes and deletes the spool. Safe to call twice. */
  async dispose(): Promise<void> {
    await this.seal().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}

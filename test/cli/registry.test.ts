import { describe, it, expect } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { runCli, loadCommand } from '../../src/cli/main.js';
import type { CliCommandEntry } from '../../src/cli/command.js';
import { fakeIo } from './helpers.js';

describe('command registry (lazy entries)', () => {
  it('every entry loads the command of its name, with the same summary', async () => {
    expect(COMMANDS.map((c) => c.name)).toEqual(['parse', 'events', 'simulate', 'train', 'score', 'detect', 'tune', 'evaluate']);
    for (const entry of COMMANDS) {
      const c = await loadCommand(entry);
      expect(c.name).toBe(entry.name);
      expect(c.summary).toBe(entry.summary);
      expect(c.help).toContain(`loginsight ${entry.name}`);
    }
  }, 120_000);

  it('lists commands without loading any, and loads only the one that runs', async () => {
    const loaded: string[] = [];
    const spy = COMMANDS.map((e): CliCommandEntry => ({ ...e, load: () => (loaded.push(e.name), e.load()) }));
    const io = fakeIo();
    expect(await runCli(['--help'], io, spy)).toBe(0);
    expect(io.out()).toContain('evaluate');
    expect(loaded).toEqual([]);
    const io2 = fakeIo();
    expect(await runCli(['help', 'parse'], io2, spy)).toBe(0);
    expect(io2.out()).toContain('Usage: loginsight parse');
    expect(loaded).toEqual(['parse']);
  });

  it('a command whose module fails to load is an internal error (exit 70), not a crash', async () => {
    const broken: CliCommandEntry = {
      name: 'broken',
      summary: 'fails to load',
      load: () => Promise.reject(new Error("Cannot find package '@tensorflow/tfjs-core'")),
    };
    const io = fakeIo();
    expect(await runCli(['broken', 'x'], io, [broken])).toBe(70);
    expect(io.err()).toMatch(/^loginsight broken: internal error: Cannot find package '@tensorflow\/tfjs-core'/);
  });
});

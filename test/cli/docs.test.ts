import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { COMMANDS } from '../../src/cli/commands.js';
import { loadCommand } from '../../src/cli/main.js';

const docs = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');

describe('docs/cli.md', () => {
  it('has a section for every registered command', () => {
    for (const c of COMMANDS) expect(docs, `docs/cli.md lacks "## loginsight ${c.name}"`).toContain(`## loginsight ${c.name}`);
  });

  it('documents every option of parse, events, simulate and evaluate, and every exit code', async () => {
    for (const entry of COMMANDS.filter((x) => ['parse', 'events', 'simulate', 'evaluate'].includes(x.name))) {
      const c = await loadCommand(entry);
      const options = new Set(c.help.match(/--[a-z][a-z-]*/g) ?? []);
      for (const o of options) expect(docs, `docs/cli.md lacks ${o} of ${c.name}`).toContain(o);
      expect(c.help).toContain('Examples:');
    }
    for (const code of ['| 0 |', '| 2 |', '| 3 |', '| 4 |', '| 70 |']) expect(docs).toContain(code);
  });
});

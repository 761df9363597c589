import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('../../src/score/', import.meta.url);

describe('src/score dependencies', () => {
  it('imports only its own files and types from src/assemble/event (no tfjs, no src/features)', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    let checked = 0;
    for (const f of files) {
      const text = readFileSync(new URL(f, dir), 'utf8');
      for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'/gm)) {
        const spec = m[3];
        const ok = spec.startsWith('./') || (spec === '../assemble/event.js' && m[2] !== undefined);
        expect(ok, `${f} imports ${spec}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(15);
  });
});

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { locateWasmDir, selectBackend, TFJS_NODE, type TfNamespace } from '../../src/model/index.js';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** A fake tf namespace with its own registry, so selection logic is tested without touching the real engine. */
function fakeTf(failing: string[] = []): TfNamespace & { registry: Record<string, unknown>; active: string } {
  const registry: Record<string, unknown> = {};
  const fake = {
    registry,
    active: '',
    engine: () => ({ registryFactory: registry }),
    getBackend: () => fake.active,
    setBackend: async (name: string) => {
      if (!(name in registry)) throw new Error(`Backend name '${name}' not found in registry`);
      if (failing.includes(name)) return false;
      fake.active = name;
      return true;
    },
  };
  return fake;
}

/** An importer that "installs" modules by registering their backend in the fake registry, and records imports. */
function importer(fake: ReturnType<typeof fakeTf>, broken: string[] = []) {
  const imported: string[] = [];
  const importModule = async (spec: string): Promise<unknown> => {
    imported.push(spec);
    if (broken.includes(spec)) throw new Error(`Cannot find module '${spec}'`);
    const name = spec === TFJS_NODE ? 'tensorflow' : spec.endsWith('wasm') ? 'wasm' : 'cpu';
    fake.registry[name] = {};
    return { setWasmPaths: () => {} };
  };
  return { imported, importModule };
}

const installed = (spec: string): string | null => `/fake/node_modules/${spec}/index.js`;
const notInstalled = (spec: string): string | null => (spec === TFJS_NODE ? null : `/fake/node_modules/${spec}/index.js`);

describe('selectBackend (tfjs-node mocked)', () => {
  it("auto picks 'tensorflow' when tfjs-node is installed", async () => {
    const fake = fakeTf();
    const imp = importer(fake);
    await expect(selectBackend('auto', { tf: fake, resolveModule: installed, importModule: imp.importModule })).resolves.toBe('tensorflow');
    expect(imp.imported).toEqual([TFJS_NODE]);
    expect(fake.active).toBe('tensorflow');
  });

  it("auto picks 'wasm' when tfjs-node is absent, without trying to import it", async () => {
    const fake = fakeTf();
    const imp = importer(fake);
    await expect(selectBackend('auto', { tf: fake, resolveModule: notInstalled, importModule: imp.importModule })).resolves.toBe('wasm');
    expect(imp.imported).not.toContain(TFJS_NODE);
  });

  it("auto falls back to 'cpu' when wasm cannot load or initialise", async () => {
    const fake = fakeTf();
    const imp = importer(fake, ['@tensorflow/tfjs-backend-wasm']);
    await expect(selectBackend('auto', { tf: fake, resolveModule: notInstalled, importModule: imp.importModule })).resolves.toBe('cpu');
    const fake2 = fakeTf(['wasm']);
    const imp2 = importer(fake2);
    await expect(selectBackend('auto', { tf: fake2, resolveModule: notInstalled, importModule: imp2.importModule })).resolves.toBe('cpu');
  });

  it('auto falls back past a tfjs-node that fails to load', async () => {
    const fake = fakeTf();
    const imp = importer(fake, [TFJS_NODE]);
    await expect(selectBackend('auto', { tf: fake, resolveModule: installed, importModule: imp.importModule })).resolves.toBe('wasm');
  });

  it("auto uses an already registered 'tensorflow' backend (a user's own tf namespace) without importing", async () => {
    const fake = fakeTf();
    fake.registry.tensorflow = {};
    const imp = importer(fake);
    await expect(selectBackend('auto', { tf: fake, resolveModule: notInstalled, importModule: imp.importModule })).resolves.toBe('tensorflow');
    expect(imp.imported).toEqual([]);
  });

  it('explicit names load exactly that backend or fail clearly', async () => {
    const fake = fakeTf();
    const imp = importer(fake);
    const o = { tf: fake, resolveModule: notInstalled, importModule: imp.importModule };
    await expect(selectBackend('cpu', o)).resolves.toBe('cpu');
    await expect(selectBackend('wasm', o)).resolves.toBe('wasm');
    await expect(selectBackend('tensorflow', o)).rejects.toThrow(/needs @tensorflow\/tfjs-node, which is not installed: run `npm install @tensorflow\/tfjs-node`/);
    await expect(selectBackend('tensorflow', { ...o, resolveModule: installed })).resolves.toBe('tensorflow');
    const broken = fakeTf(['wasm']);
    await expect(selectBackend('wasm', { tf: broken, resolveModule: notInstalled, importModule: importer(broken).importModule })).rejects.toThrow(/backend 'wasm' failed to initialise/);
  });

  it('unknown names fail listing the registered backends; registered custom names work', async () => {
    const fake = fakeTf();
    const imp = importer(fake);
    const o = { tf: fake, resolveModule: notInstalled, importModule: imp.importModule };
    await selectBackend('cpu', o);
    await expect(selectBackend('webgpu', o)).rejects.toThrow(/unknown tfjs backend 'webgpu'.*registered now: cpu/);
    fake.registry.webgpu = {};
    await expect(selectBackend('webgpu', o)).resolves.toBe('webgpu');
    await expect(selectBackend('' as string, o)).rejects.toThrow(/option backend must be/);
  });
});

describe('selectBackend (real tfjs)', () => {
  it('finds the wasm binaries in node_modules and runs on wasm, then cpu', async () => {
    const dir = locateWasmDir();
    expect(dir).not.toBeNull();
    expect(existsSync(path.join(dir as string, 'tfjs-backend-wasm-simd.wasm'))).toBe(true);
    await expect(selectBackend('wasm')).resolves.toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const s = tf.sum(tf.tensor1d([1, 2, 3]));
    expect((await s.data())[0]).toBe(6);
    s.dispose();
    await expect(selectBackend('cpu')).resolves.toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    // tfjs-node is not installed on this machine: auto must not pick it
    await expect(selectBackend('auto')).resolves.toBe('wasm');
    await expect(selectBackend('nonesuch')).rejects.toThrow(/registered now: .*cpu.*wasm|registered now: .*wasm.*cpu/);
  });

  it('importing loads no backend and prints nothing; selecting backends prints nothing and leaves no process listeners', async () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const script = `
      import * as tf from '@tensorflow/tfjs-core';
      const m = await import('./src/model/index.ts');
      const before = Object.keys(tf.engine().registryFactory).length;
      const listeners = () => process.listenerCount('uncaughtException') + process.listenerCount('unhandledRejection');
      const l0 = listeners();
      await m.selectBackend('cpu');
      tf.dispose(tf.add(tf.scalar(1), tf.scalar(2)));
      await m.selectBackend('wasm');
      tf.dispose(tf.add(tf.scalar(1), tf.scalar(2)));
      await m.selectBackend('auto');
      process.stdout.write(JSON.stringify({ before, after: Object.keys(tf.engine().registryFactory), addedListeners: listeners() - l0 }));
    `;
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root });
    expect(stderr).toBe('');
    const r = JSON.parse(stdout);
    expect(r.before).toBe(0);
    expect(r.after.sort()).toEqual(['cpu', 'wasm']);
    expect(r.addedListeners).toBe(0);
  });
});

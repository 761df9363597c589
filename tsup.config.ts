import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The library: dual ESM + CommonJS with types. tslab notebooks load it with require().
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    treeshake: true,
    shims: true,
    // tfjs packages are real dependencies; tfjs-node is an optional peer loaded lazily.
    external: [/^@tensorflow\//, 'fast-csv'],
  },
  {
    // The CLI: ESM with a shebang, split into chunks so that each command loads only its own modules
    // (src/cli/commands.ts imports commands lazily): `parse`, `events`, `simulate`, `evaluate` never load tfjs.
    entry: { bin: 'src/cli/bin.ts' },
    outDir: 'dist/cli',
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: false,
    target: 'node20',
    platform: 'node',
    splitting: true,
    banner: { js: '#!/usr/bin/env node' },
    external: [/^@tensorflow\//, 'fast-csv'],
  },
]);

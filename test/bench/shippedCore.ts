import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';
import type * as CoreModule from '../../src/core';
import { repoRoot } from '../support/paths.ts';
import { progress } from './types.ts';

type Core = typeof CoreModule;

let core: Promise<Core> | undefined;

/**
 * The simulation core as it ships: bundled into one ES module by Vite, as the app's Web Workers load it. Speed
 * benchmarks time this, not the modules tsx transforms one by one for the CLI: tsx turns every cross-module call
 * into a getter call V8 cannot inline, which costs the routing loop about a fifth more than the shipped code.
 */
export function shippedCore(): Promise<Core> {
  core ??= (async () => {
    progress('bundling src/core with vite');
    const outDir = mkdtempSync(path.join(tmpdir(), 'moe-lab-core-'));
    await build({
      configFile: false,
      logLevel: 'warn',
      root: repoRoot,
      build: {
        outDir,
        emptyOutDir: true,
        minify: false,
        lib: { entry: path.join(repoRoot, 'src/core/index.ts'), formats: ['es'], fileName: 'core' },
      },
    });
    return (await import(pathToFileURL(path.join(outDir, 'core.js')).href)) as Core;
  })();
  return core;
}

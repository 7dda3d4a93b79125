import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { distDir } from '../support/paths.ts';
import { buildOnce } from './build.ts';
import type { Benchmark } from './types.ts';

export const INITIAL_JS_TARGET_GZIP_BYTES = 200 * 1024;

const gzipBytes = (content: Buffer) => gzipSync(content, { level: 9 }).length;

/**
 * The JavaScript a first visit must download: the module entry scripts and the modulepreload links of
 * dist/index.html. Lazily imported chunks are not in it.
 */
export function initialScripts(html: string): string[] {
  const files = new Set<string>();
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/g)) {
    const isScript = tag.startsWith('<script');
    if (!isScript && !/\brel=["']?modulepreload\b/.test(tag)) continue;
    const url = /\b(?:src|href)=["']?([^"'\s>]+)/.exec(tag)?.[1];
    // Only local .js files; the build has no external scripts, and inline scripts have no src.
    if (url && !/^[a-z]+:\/\//i.test(url) && url.endsWith('.js')) files.add(url.replace(/^\.?\//, ''));
  }
  return [...files];
}

async function run() {
  await buildOnce();
  const html = await readFile(path.join(distDir, 'index.html'), 'utf8');
  const initial = initialScripts(html);
  if (initial.length === 0) throw new Error('dist/index.html references no JavaScript');

  let rawBytes = 0;
  let initialGzip = 0;
  for (const file of initial) {
    const content = await readFile(path.join(distDir, file));
    rawBytes += content.length;
    initialGzip += gzipBytes(content);
  }

  const assetsDir = path.join(distDir, 'assets');
  let jsGzipBytes = 0;
  let cssGzipBytes = 0;
  for (const file of await readdir(assetsDir)) {
    if (file.endsWith('.js')) jsGzipBytes += gzipBytes(await readFile(path.join(assetsDir, file)));
    else if (file.endsWith('.css')) cssGzipBytes += gzipBytes(await readFile(path.join(assetsDir, file)));
  }

  return {
    initialJs: {
      files: initial,
      rawBytes,
      gzipBytes: initialGzip,
      targetGzipBytes: INITIAL_JS_TARGET_GZIP_BYTES,
      meetsTarget: initialGzip <= INITIAL_JS_TARGET_GZIP_BYTES,
    },
    allAssets: { jsGzipBytes, cssGzipBytes, totalGzipBytes: jsGzipBytes + cssGzipBytes },
  };
}

export const bundle: Benchmark = { name: 'bundle', run };

import { viteBuild } from '../support/preview.ts';
import { progress } from './types.ts';

let build: Promise<void> | undefined;

/** Builds dist/ once per bench run, so every benchmark measures the current code, never a stale build. */
export function buildOnce(): Promise<void> {
  build ??= (progress('vite build'), viteBuild('stderr'));
  return build;
}

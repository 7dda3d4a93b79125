import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Resolve everything from the repository root so the scripts work from any working directory.
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const distDir = path.join(repoRoot, 'dist');

/** Path of a locally installed CLI (node_modules/.bin/<name>). */
export function localBin(name: string): string {
  return path.join(repoRoot, 'node_modules', '.bin', name);
}

import { spawn, type StdioOptions } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { distDir, localBin, repoRoot } from './paths.ts';

/**
 * Runs `vite build`. `stdout` decides where its output goes: the benchmark keeps stdout for its JSON,
 * so it sends the build log to stderr.
 */
export function viteBuild(stdout: 'inherit' | 'stderr' = 'inherit'): Promise<void> {
  const stdio: StdioOptions = stdout === 'stderr' ? ['ignore', 2, 2] : 'inherit';
  return new Promise((resolve, reject) => {
    const child = spawn(localBin('vite'), ['build'], { cwd: repoRoot, stdio });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`vite build failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}

/**
 * Builds when dist/index.html is missing or older than anything the build reads (the e2e project alone may run
 * without `npm test`, and a stale build would test yesterday's code).
 */
export async function ensureBuilt(stdout: 'inherit' | 'stderr' = 'inherit'): Promise<void> {
  const built = path.join(distDir, 'index.html');
  if (!existsSync(built) || newestSourceMs() > statSync(built).mtimeMs) await viteBuild(stdout);
}

/** The latest modification time among the app's sources, public files, index.html and the Vite config. */
function newestSourceMs(): number {
  const newestUnder = (entry: string): number => {
    const stats = statSync(entry);
    if (!stats.isDirectory()) return stats.mtimeMs;
    return readdirSync(entry).reduce(
      (newest, name) => Math.max(newest, newestUnder(path.join(entry, name))),
      stats.mtimeMs,
    );
  };
  return Math.max(
    ...['src', 'public', 'index.html', 'vite.config.ts']
      .map((name) => path.join(repoRoot, name))
      .filter((entry) => existsSync(entry))
      .map(newestUnder),
  );
}

/** Asks the OS for a free port; --strictPort then makes vite fail loudly rather than pick another. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

export interface PreviewServer {
  url: string;
  stop: () => Promise<void>;
}

/** Serves dist/ with `vite preview` on a free port and resolves once it answers HTTP 200. */
export async function startPreview(timeoutMs = 30_000): Promise<PreviewServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const child = spawn(
    localBin('vite'),
    ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // Keep the output for the error message, and drain the pipes so the server never blocks on them.
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => {
    child.on('exit', () => {
      exited = true;
      resolve();
    });
    child.on('error', (error) => {
      output += String(error);
      exited = true;
      resolve();
    });
  });
  // A crashed test runner must not leave an orphan server holding the port.
  const killOnExit = () => child.kill();
  process.on('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (!exited) child.kill('SIGTERM');
    await exitedPromise;
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) break;
    try {
      const response = await fetch(url);
      if (response.status === 200) return { url, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`vite preview did not answer 200 at ${url}:\n${output}`);
}

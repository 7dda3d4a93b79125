// `npm run bench`: runs the benchmarks and prints one JSON document on stdout (progress on stderr).
//   npm run bench -- --only bundle        run only the named benchmark(s); repeat --only or use commas
import os from 'node:os';
import { bundle } from './bundle.ts';
import { checkpointRun } from './checkpointRun.ts';
import { firstRender } from './firstRender.ts';
import { routing } from './routing.ts';
import { routingFps } from './routingFps.ts';
import { progress, type Benchmark } from './types.ts';

// Add new benchmarks here; their `name` is the key in `results` and the value for --only.
const benchmarks: Benchmark[] = [bundle, firstRender, routing, routingFps, checkpointRun];

function selected(argv: string[]): Benchmark[] {
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--only' && argv[i + 1] !== undefined) only.push(...argv[++i]!.split(','));
    else if (arg.startsWith('--only=')) only.push(...arg.slice('--only='.length).split(','));
    else throw new Error(`unknown argument '${arg}' (usage: bench [--only name[,name]])`);
  }
  if (only.length === 0) return benchmarks;
  const unknown = only.filter((name) => !benchmarks.some((b) => b.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `unknown benchmark '${unknown.join(', ')}'; known: ${benchmarks.map((b) => b.name).join(', ')}`,
    );
  }
  return benchmarks.filter((b) => only.includes(b.name));
}

async function main(): Promise<number> {
  let toRun: Benchmark[];
  try {
    toRun = selected(process.argv.slice(2));
  } catch (error) {
    progress((error as Error).message);
    return 2;
  }

  const results: Record<string, object> = {};
  let failed = false;
  for (const benchmark of toRun) {
    progress(`running ${benchmark.name}`);
    try {
      results[benchmark.name] = await benchmark.run();
    } catch (error) {
      // Keep going: one broken benchmark should not hide the others' numbers.
      failed = true;
      results[benchmark.name] = { error: (error as Error).message };
      progress(`${benchmark.name} failed: ${(error as Error).message}`);
    }
  }

  const machine = {
    node: process.version,
    cpus: os.cpus().length,
    platform: `${process.platform}-${process.arch}`,
  };
  process.stdout.write(`${JSON.stringify({ machine, results }, null, 2)}\n`);
  return failed ? 1 : 0;
}

process.exitCode = await main();

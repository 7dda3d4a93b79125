import { decodeFragment, simulateRun } from '../../src/core';
import { checkpointCosts } from '../../src/core/checkpoint/costs';
import { median, progress, type Benchmark } from './types.ts';

/**
 * The Checkpointing lab's speed target: a 100,000-iteration fault simulation of DeepSeek-V3 (58 MoE layers × 256
 * experts, 8 nodes of 8 GPUs, EP=64) in ≤ 200 ms median in Node, with the static model's costs (≈41 s iterations,
 * so the run lasts ≈48 days of wall-clock time and a 24 h MTBF gives dozens of faults; dynamic K doubles K to N).
 */
const FRAGMENT =
  'v=1&model=deepseek-v3&ep=64&dp=64&checkpoint.totalIterations=100000&checkpoint.mtbfHours=24&checkpoint.viewIteration=50000';
const WARMUP = 3;
const RUNS = 9;

export const checkpointRun: Benchmark = {
  name: 'checkpointRun',
  async run() {
    const { scenario, messages } = decodeFragment(FRAGMENT);
    if (messages.length > 0)
      throw new Error(`benchmark scenario needed fixes: ${messages.map((m) => m.message).join('; ')}`);
    const costs = checkpointCosts(scenario);
    const times: number[] = [];
    let last = simulateRun(scenario, costs);
    for (let run = 0; run < WARMUP + RUNS; run += 1) {
      const start = performance.now();
      last = simulateRun(scenario, costs);
      const ms = performance.now() - start;
      if (run >= WARMUP) times.push(ms);
    }
    progress(`checkpointRun done (${last.faults} faults, ${last.checkpoints} checkpoints)`);
    const medianMs = median(times);
    return {
      scenario: FRAGMENT,
      moeLayers: last.moeLayers,
      experts: last.experts,
      iterations: last.totalIterations,
      medianMs: Number(medianMs.toFixed(2)),
      faults: last.faults,
      lostIterations: last.lostIterations,
      checkpoints: last.checkpoints,
      finalK: last.finalK,
      plt: Number(last.plt.toFixed(5)),
      goodput: Number(last.time.goodput.toFixed(4)),
      targetMs: 200,
      meetsTarget: medianMs <= 200,
    };
  },
};

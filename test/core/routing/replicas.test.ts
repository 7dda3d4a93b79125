import { describe, expect, it } from 'vitest';
import { replicaLoads } from '../../../src/core/routing/replicas';
import { routeStep } from '../../../src/core/routing/routeStep';
import { emptyLayer } from '../../../src/core/routing/metricSupport';
import type { RoutingStep } from '../../../src/core/routing/types';
import { decodeFragment } from '../../../src/core/scenario/shareLink';

function routed(fragment: string) {
  const { scenario, messages } = decodeFragment(fragment);
  expect(messages).toEqual([]);
  const step = routeStep(scenario, 0, { layers: [0] });
  const layer = step.layers[0];
  if (!layer) throw new Error('no layer routed');
  return { scenario, step, layer };
}

describe('expert replicas under DP > EP', () => {
  it('none with one EP group (DP = EP)', () => {
    const { scenario, step, layer } = routed('v=1&routing.tokensPerDevice=64');
    expect(replicaLoads(step, layer, scenario.parallelism.ep)).toBeNull();
  });

  it('counts each GPU’s load from its own group’s devices only (hand-built flows)', () => {
    // 4 devices, EP 2: groups {0, 1} and {2, 3}; 4 experts, 2 per GPU (GPU 0: experts 0–1, GPU 1: experts 2–3).
    const layer = emptyLayer(4);
    layer.preDropFlow = Int32Array.from(
      [
        [5, 1, 0, 0],
        [3, 0, 0, 1],
        [0, 0, 2, 2],
        [0, 1, 0, 9],
      ].flat(),
    );
    const step: RoutingStep = {
      step: 0,
      experts: 4,
      topK: 1,
      devices: 4,
      devicesInScenario: 4,
      tokensPerDevice: 6,
      localExperts: 2,
      layers: [layer],
    };
    expect(replicaLoads(step, layer, 2)).toEqual({
      replicas: 2,
      simulatedGroups: 2,
      devicesPerGroup: 2,
      expertsPerGpu: 2,
      // Group 0: GPU 0 gets 5+1+3+0 = 9, GPU 1 gets 0+0+0+1 = 1; group 1: GPU 0 gets 0+0+0+1 = 1, GPU 1 gets 2+2+0+9 = 13.
      busiestGpuPairs: 13,
      meanGpuPairs: 24 / 4,
      // Expert 3's replica in group 1: 2 + 9.
      busiestReplicaPairs: 11,
    });
  });

  it('Mixtral at DP 16, EP 8: two replicas per expert, and a bar is the sum of both', () => {
    const { scenario, step, layer } = routed('v=1&dp=16&routing.tokensPerDevice=128');
    const replicas = replicaLoads(step, layer, scenario.parallelism.ep);
    expect(replicas).toMatchObject({ replicas: 2, simulatedGroups: 2, devicesPerGroup: 8, expertsPerGpu: 1 });
    if (!replicas) return;
    // One expert per GPU: the busiest GPU is the busiest replica, at most its whole bar and at least half of it.
    expect(replicas.busiestReplicaPairs).toBe(replicas.busiestGpuPairs);
    const busiestBar = Math.max(...layer.preDropLoad);
    expect(replicas.busiestGpuPairs).toBeLessThan(busiestBar);
    expect(replicas.busiestGpuPairs * 2).toBeGreaterThanOrEqual(busiestBar);
    // The mean GPU gets its group's t·k / EP: 8 devices × 128 tokens × top-2 / 8 GPUs.
    expect(replicas.meanGpuPairs).toBe((8 * 128 * 2) / 8);
  });

  it('counts only the simulated whole groups when DP is sampled (DP 128 simulates 64 devices)', () => {
    const { scenario, step, layer } = routed('v=1&dp=128&routing.tokensPerDevice=16');
    expect(step.devices).toBe(64);
    expect(replicaLoads(step, layer, scenario.parallelism.ep)).toMatchObject({
      replicas: 16,
      simulatedGroups: 8,
    });
  });
});

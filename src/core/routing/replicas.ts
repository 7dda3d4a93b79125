import type { LayerRouting, RoutingStep } from './types';

/**
 * Expert replicas under DP > EP. EP groups live inside the data-parallel ranks: DP / EP groups of EP GPUs, each group
 * holding every routed expert once (n / EP per GPU), and a token is dispatched only within its own group (MoE survey
 * §5 EP workflow; Capacity-Aware §5.1 runs DP8 × EP8, one group). Source device d is GPU d mod EP of group ⌊d / EP⌋,
 * the layout routing uses for Expanded Drop's local experts. The lab's bars sum each expert over every simulated
 * device, so over all its replicas; these are the loads one GPU actually receives.
 */
export interface ReplicaLoads {
  /** EP groups in the scenario, DP / EP: each expert has this many replicas. */
  replicas: number;
  /** Whole EP groups among the simulated devices (the replicas a bar sums). */
  simulatedGroups: number;
  /** GPUs per EP group, EP: the source devices that feed one replica. */
  devicesPerGroup: number;
  /** Experts per GPU, n / EP. */
  expertsPerGpu: number;
  /** The busiest GPU's pre-drop token-expert pairs: its experts' replicas, fed by its own group's devices. */
  busiestGpuPairs: number;
  /** The mean GPU's pre-drop pairs over the whole simulated groups. */
  meanGpuPairs: number;
  /** The busiest single expert replica's pre-drop pairs. */
  busiestReplicaPairs: number;
}

/** Per-GPU loads when each expert has several replicas (DP > EP), or null with one replica per expert. */
export function replicaLoads(step: RoutingStep, layer: LayerRouting, ep: number): ReplicaLoads | null {
  const replicas = Math.floor(step.devicesInScenario / ep);
  const simulatedGroups = Math.floor(step.devices / ep);
  if (replicas <= 1 || simulatedGroups < 1) return null;
  const { experts, localExperts } = step;
  let busiestGpuPairs = 0;
  let busiestReplicaPairs = 0;
  let totalPairs = 0;
  for (let group = 0; group < simulatedGroups; group += 1) {
    for (let gpu = 0; gpu < ep; gpu += 1) {
      let gpuPairs = 0;
      for (let expert = gpu * localExperts; expert < (gpu + 1) * localExperts; expert += 1) {
        let replicaPairs = 0;
        for (let device = group * ep; device < (group + 1) * ep; device += 1)
          replicaPairs += layer.preDropFlow[device * experts + expert] ?? 0;
        busiestReplicaPairs = Math.max(busiestReplicaPairs, replicaPairs);
        gpuPairs += replicaPairs;
      }
      busiestGpuPairs = Math.max(busiestGpuPairs, gpuPairs);
      totalPairs += gpuPairs;
    }
  }
  return {
    replicas,
    simulatedGroups,
    devicesPerGroup: ep,
    expertsPerGpu: localExperts,
    busiestGpuPairs,
    meanGpuPairs: totalPairs / (simulatedGroups * ep),
    busiestReplicaPairs,
  };
}

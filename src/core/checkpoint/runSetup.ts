import { countParameters } from '../model/params';
import { customPopularity, layerPopularity, popularityMagnitudes } from '../routing/popularity';
import { resolveArchitecture } from '../scenario/resolve';
import type { Scenario } from '../scenario/types';

/** The model-side inputs of the fault simulation: shapes, per-expert load shares and where experts live. */
export interface RunSetup {
  moeLayers: number;
  experts: number;
  /** Row-major MoE layer × expert: each expert's expected share of its layer's routed token-expert pairs. */
  shares: Float64Array;
  /** Nodes in the job: ⌈DP · TP / GPUs per node⌉. */
  nodes: number;
  /** Which experts (the same in every MoE layer) have a shard on the given node. */
  expertsOnNode: (node: number) => Uint8Array;
}

/**
 * Per-expert load shares from the Routing lab's popularity model (batch 0: the profile does not drift over the run),
 * so load-aware selection and PLT see the scenario's skew. Shares sum to 1 per layer, so a layer's tokens per
 * iteration cancel out of PLT (MoC Eq. 7 divides by T_i · TopK_i).
 */
function expertShares(
  scenario: Scenario,
  moeLayers: number,
  experts: number,
  customLoads: readonly (readonly number[])[] | null | undefined,
): Float64Array {
  const routing = scenario.routing;
  const custom =
    routing.profile === 'custom' &&
    customLoads !== null &&
    customLoads !== undefined &&
    customLoads.length > 0 &&
    customLoads[0]?.length === experts;
  const perLayer =
    moeLayers === 0
      ? []
      : custom
        ? customPopularity(customLoads, moeLayers)
        : layerPopularity({
            magnitudes: popularityMagnitudes(
              routing.profile === 'custom' ? 'zipf' : routing.profile,
              experts,
              routing.zipfExponent,
            ),
            layers: moeLayers,
            correlation: routing.layerCorrelation,
            drift: routing.drift,
            step: 0,
            seed: scenario.workload.seed,
          });
  const shares = new Float64Array(moeLayers * experts);
  for (let layer = 0; layer < moeLayers; layer += 1) {
    const row = perLayer[layer];
    for (let expert = 0; expert < experts; expert += 1)
      shares[layer * experts + expert] = row?.[expert] ?? 1 / experts;
  }
  return shares;
}

/**
 * Placement: global rank g = d·TP + t (d the DP rank) sits on node ⌊g / GPUs per node⌋; EP groups are consecutive DP
 * ranks, so DP rank d is EP rank d mod EP; expert e of every MoE layer lives on EP rank ⌊e·EP / N⌋ (N/EP experts
 * per rank; with EP > N, EP rank r holds a shard of expert ⌊r·N / EP⌋). A node holds an expert when any of its GPUs
 * holds (a replica or shard of) it: with ZeRO-2, a replica's optimizer shard is only on that GPU, so the expert
 * must come back from storage when that node fails.
 */
export function expertPlacement(
  scenario: Scenario,
  experts: number,
): Pick<RunSetup, 'nodes' | 'expertsOnNode'> {
  const { dp, tp, ep } = scenario.parallelism;
  const gpusPerNode = Math.max(1, scenario.hardware.gpusPerNode);
  const world = Math.max(1, dp * Math.max(1, tp));
  const nodes = Math.max(1, Math.ceil(world / gpusPerNode));
  const epDegree = Math.max(1, ep);
  const cache = new Map<number, Uint8Array>();
  const expertsOnNode = (node: number): Uint8Array => {
    const cached = cache.get(node);
    if (cached) return cached;
    const epRanks = new Uint8Array(epDegree);
    const first = node * gpusPerNode;
    const last = Math.min(world, first + gpusPerNode);
    for (let rank = first; rank < last; rank += 1) epRanks[Math.floor(rank / Math.max(1, tp)) % epDegree] = 1;
    const mask = new Uint8Array(experts);
    if (epDegree <= experts) {
      for (let expert = 0; expert < experts; expert += 1)
        mask[expert] = epRanks[Math.floor((expert * epDegree) / experts)] ?? 0;
    } else {
      for (let rank = 0; rank < epDegree; rank += 1)
        if (epRanks[rank]) mask[Math.floor((rank * experts) / epDegree)] = 1;
    }
    cache.set(node, mask);
    return mask;
  };
  return { nodes, expertsOnNode };
}

export function runSetup(scenario: Scenario, customLoads?: readonly (readonly number[])[] | null): RunSetup {
  const arch = resolveArchitecture(scenario);
  const moeLayers = countParameters(arch).moeLayers;
  const experts = Math.max(1, arch.experts);
  return {
    moeLayers,
    experts,
    shares: expertShares(scenario, moeLayers, experts, customLoads),
    ...expertPlacement(scenario, experts),
  };
}

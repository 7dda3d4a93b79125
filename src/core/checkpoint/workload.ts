import type { Scenario } from '../scenario/types';
import type { CheckpointComposition } from './sizes';
import type { ShardingStrategy } from './types';

/**
 * How the job is laid out for checkpointing. Ranks are data-parallel ranks (MoC §2.2: EP groups are carved out of
 * the DP ranks; TP and PP are "the modularity of each DP rank"), each of TP GPUs that share its bytes equally.
 * DeepSpeed's layout: EP group g is ranks g·EP..g·EP+EP−1, and rank r holds the experts of EP rank r mod EP.
 */
export interface RankLayout {
  dataParallel: number;
  expertParallel: number;
  tensorParallel: number;
  gpusPerNode: number;
  zeroStage: number;
}

export function rankLayout(scenario: Scenario): RankLayout {
  const { dp, ep, tp, zeroStage } = scenario.parallelism;
  return {
    dataParallel: dp,
    expertParallel: ep,
    tensorParallel: tp,
    gpusPerNode: scenario.hardware.gpusPerNode,
    zeroStage,
  };
}

/** What one checkpoint asks of each rank. */
export interface CheckpointWorkload {
  strategy: ShardingStrategy;
  /** Bytes each DP rank saves (length D_dp, at most 65,536, the DP field's bound); its TP GPUs share them. */
  rankBytes: Float64Array;
  /** Σ rankBytes: every saved byte exactly once. */
  totalBytes: number;
  /** The rank with the most bytes (lowest index on ties): it sets the checkpoint's duration (MoC §6.2.1). */
  bottleneckRank: number;
  bottleneckRankBytes: number;
  /** The bottleneck rank's bytes per GPU (÷ TP). */
  bottleneckGpuBytes: number;
}

/** Bytes per parameter the rank saves of its own ZeRO partition, and bytes per parameter held by every replica. */
function bytesPerParamSplit(composition: CheckpointComposition, zeroStage: number) {
  const weights = composition.weightBytesPerParam;
  const optimizer = composition.optimizerBytesPerParam;
  return {
    // ZeRO-1/2 partition optimizer states across DP, ZeRO-3 weights too (Rajbhandari et al. 2020; MoC §2.3.2).
    partitioned: (zeroStage >= 3 ? weights : 0) + (zeroStage >= 1 ? optimizer : 0),
    replicated: (zeroStage >= 3 ? 0 : weights) + (zeroStage >= 1 ? 0 : optimizer),
  };
}

/** Min-heap order over ranks: lower load first, then lower rank index (deterministic ties). */
function lighter(loads: Float64Array, a: number, b: number): boolean {
  const loadA = loads[a] ?? 0;
  const loadB = loads[b] ?? 0;
  return loadA < loadB || (loadA === loadB && a < b);
}

function siftDown(heap: Int32Array, loads: Float64Array, size: number, start: number): void {
  let parent = start;
  for (;;) {
    const left = 2 * parent + 1;
    if (left >= size) return;
    const right = left + 1;
    let child = left;
    if (right < size && lighter(loads, heap[right] ?? 0, heap[left] ?? 0)) child = right;
    if (!lighter(loads, heap[child] ?? 0, heap[parent] ?? 0)) return;
    const held = heap[parent] ?? 0;
    heap[parent] = heap[child] ?? 0;
    heap[child] = held;
    parent = child;
  }
}

/**
 * Greedy assignment (MoC §4.3): each module, largest first, goes to the rank with the least accumulated load, which
 * then grows by the module's bytes. `loads` holds the starting loads and is updated in place.
 */
function assignLargestToLightest(
  modulesBytesDescending: Float64Array,
  loads: Float64Array,
  ranks: number,
): void {
  const heap = new Int32Array(ranks);
  for (let rank = 0; rank < ranks; rank += 1) heap[rank] = rank;
  for (let node = (ranks >> 1) - 1; node >= 0; node -= 1) siftDown(heap, loads, ranks, node);
  for (const bytes of modulesBytesDescending) {
    const lightest = heap[0] ?? 0;
    loads[lightest] = (loads[lightest] ?? 0) + bytes;
    siftDown(heap, loads, ranks, 0);
  }
}

/**
 * Per-rank save bytes of one checkpoint under ZeRO DP + EP (MoC §4, Eq. 8).
 * - Partitioned state (the optimizer under ZeRO-1/2, everything under ZeRO-3): each rank saves its own shard in
 *   every strategy: the non-expert part ÷ D_dp, and each saved expert ÷ the D_dp/D_ep ranks holding it.
 * - Replicated state (weights under ZeRO-0/1/2): baseline: rank 0 saves the whole non-expert part and EP group 0
 *   (ranks 0..EP−1) each its own saved experts (Megatron-DeepSpeed, MoC Fig. 7a); equal: each saved expert is split
 *   across its replicas (§4.1) and the non-expert modules are balanced among themselves across all ranks (§4.2);
 *   adaptive: the same expert split, but the modules go greedily to the least-loaded rank counting everything it
 *   already saves, PEC experts included (§4.3).
 * `savedByOwner[o]` = saved (layer, expert) pairs whose expert lives on EP rank o; `modulesDescending` = the
 * non-expert modules in parameters, largest first (nonExpertModules).
 */
export function checkpointWorkload(
  composition: CheckpointComposition,
  modulesDescending: Float64Array,
  layout: RankLayout,
  strategy: ShardingStrategy,
  savedByOwner: Float64Array,
): CheckpointWorkload {
  const ranks = layout.dataParallel;
  const ep = layout.expertParallel;
  const replicas = ranks / ep;
  const perExpert = composition.paramsPerExpert;
  const { partitioned, replicated } = bytesPerParamSplit(composition, layout.zeroStage);
  const rankBytes = new Float64Array(ranks);

  for (let rank = 0; rank < ranks; rank += 1) {
    const saved = savedByOwner[rank % ep] ?? 0;
    // MoC Eq. 8, first term, with D_dp where the paper prints D_ep: ZeRO partitions each state over the ranks that
    // replicate it (the non-expert part over all D_dp, an expert over its D_dp/D_ep replicas), so shards add up.
    rankBytes[rank] =
      (composition.nonExpertParams * partitioned) / ranks + (saved * perExpert * partitioned) / replicas;
  }

  if (replicated > 0) {
    if (strategy === 'baseline') {
      // MoC §4 / Fig. 7a: EP group 0 saves its experts in full, rank 0 the whole non-expert part.
      for (let owner = 0; owner < ep; owner += 1) {
        rankBytes[owner] = (rankBytes[owner] ?? 0) + (savedByOwner[owner] ?? 0) * perExpert * replicated;
      }
      rankBytes[0] = (rankBytes[0] ?? 0) + composition.nonExpertParams * replicated;
    } else {
      // MoC §4.1: an expert is split equally across the EP groups holding a replica of it.
      for (let rank = 0; rank < ranks; rank += 1) {
        rankBytes[rank] =
          (rankBytes[rank] ?? 0) + ((savedByOwner[rank % ep] ?? 0) * perExpert * replicated) / replicas;
      }
      const moduleBytes = modulesDescending.map((params) => params * replicated);
      if (strategy === 'adaptive') {
        // MoC §4.3: greedy over everything the rank already saves.
        assignLargestToLightest(moduleBytes, rankBytes, ranks);
      } else {
        // MoC §4.2: layers as units, spread evenly across all DP ranks, blind to the expert workload.
        const nonExpertLoads = new Float64Array(ranks);
        assignLargestToLightest(moduleBytes, nonExpertLoads, ranks);
        for (let rank = 0; rank < ranks; rank += 1) {
          rankBytes[rank] = (rankBytes[rank] ?? 0) + (nonExpertLoads[rank] ?? 0);
        }
      }
    }
  }

  let totalBytes = 0;
  let bottleneckRank = 0;
  for (let rank = 0; rank < ranks; rank += 1) {
    const bytes = rankBytes[rank] ?? 0;
    totalBytes += bytes;
    if (bytes > (rankBytes[bottleneckRank] ?? 0)) bottleneckRank = rank;
  }
  const bottleneckRankBytes = rankBytes[bottleneckRank] ?? 0;
  return {
    strategy,
    rankBytes,
    totalBytes,
    bottleneckRank,
    bottleneckRankBytes,
    bottleneckGpuBytes: bottleneckRankBytes / layout.tensorParallel,
  };
}

/** Per node: the bytes its GPUs save, and the most any one of its GPUs saves. */
export interface NodeBytes {
  nodeBytes: Float64Array;
  maxGpuBytes: Float64Array;
}

/**
 * Adds up the GPUs of each node. GPU g = rank·TP + t (TP innermost, as Megatron lays it out) is on node
 * ⌊g / G_node⌋; a rank's bytes are split equally over its TP GPUs.
 */
export function bytesPerNode(rankBytes: Float64Array, layout: RankLayout): NodeBytes {
  const tp = layout.tensorParallel;
  const perNode = layout.gpusPerNode;
  const nodes = Math.ceil((rankBytes.length * tp) / perNode);
  const nodeBytes = new Float64Array(nodes);
  const maxGpuBytes = new Float64Array(nodes);
  for (let rank = 0; rank < rankBytes.length; rank += 1) {
    const perGpu = (rankBytes[rank] ?? 0) / tp;
    const firstNode = Math.floor((rank * tp) / perNode);
    const lastNode = Math.floor((rank * tp + tp - 1) / perNode);
    if (firstNode === lastNode) {
      nodeBytes[firstNode] = (nodeBytes[firstNode] ?? 0) + perGpu * tp;
      maxGpuBytes[firstNode] = Math.max(maxGpuBytes[firstNode] ?? 0, perGpu);
      continue;
    }
    for (let t = 0; t < tp; t += 1) {
      const node = Math.floor((rank * tp + t) / perNode);
      nodeBytes[node] = (nodeBytes[node] ?? 0) + perGpu;
      maxGpuBytes[node] = Math.max(maxGpuBytes[node] ?? 0, perGpu);
    }
  }
  return { nodeBytes, maxGpuBytes };
}

/**
 * MoC §4.3: PEC leaves the expert workload uneven across ranks when (K·N_moe) mod D_ep ≠ 0 or
 * (K·N_moe/D_ep) mod (D_dp/D_ep) ≠ 0. The second condition counts whole experts over an EP rank's replicas; this
 * model splits every saved expert equally over its D_dp/D_ep replicas (checkpointWorkload, MoC §4.1), so it leaves
 * their workloads equal and only the first condition unbalances its ranks: only that one is said. A sentence for the
 * panel, or undefined when the model's split is even.
 */
export function pecImbalanceNote(k: number, moeLayers: number, ep: number): string | undefined {
  const saved = k * moeLayers;
  // MoC §4.3's first condition; sequentialOwnerCounts deals the saves to EP ranks, equal exactly when EP divides them.
  if (saved % ep !== 0) {
    return `K·N_moe = ${saved} saved experts do not split evenly over EP = ${ep} ranks, so some ranks save more (MoC §4.3).`;
  }
  return undefined;
}

/**
 * MoC Eq. 8 as printed: the ideal per-rank workload of a full checkpoint with fully sharded saving,
 * (P_ne + P_e)·B_o / D_ep + P_ne·B_w / D_dp + P_e·B_w / D_ep. The paper divides the optimizer term by D_ep; with
 * ZeRO partitioning over D_dp the shards would add up to D_dp/D_ep times the optimizer state when D_dp > D_ep, so
 * the per-rank model (checkpointWorkload) divides it by D_dp instead (equal in Cases 1–2, where D_dp = D_ep).
 */
export function idealRankBytesEq8(composition: CheckpointComposition, dp: number, ep: number): number {
  // MoC Eq. 8.
  return (
    ((composition.nonExpertParams + composition.expertParams) * composition.optimizerBytesPerParam) / ep +
    composition.nonExpertWeightBytes / dp +
    composition.expertWeightBytes / ep
  );
}

/**
 * The ideal per-rank workload of a full checkpoint when every DP rank saves an equal share: Eq. 8 with each term over
 * D_dp. ZeRO partitions the optimizer state over all D_dp ranks (MoC §4.1), and equal sharding splits each expert
 * across the D_dp/D_ep replicas that hold it (MoC §4.2), so the shares add up to the checkpoint: C_full / D_dp.
 */
export function evenRankBytes(composition: CheckpointComposition, dp: number): number {
  // MoC Eq. 8 with the optimizer and expert terms over D_dp (ZeRO partitions over every DP rank): C_full / D_dp.
  return composition.fullBytes / dp;
}

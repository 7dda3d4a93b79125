import { resolveArchitecture } from '../scenario/resolve';
import type { Scenario } from '../scenario/types';
import { iterationTime, type IterationTime } from './iterationTime';
import { nonExpertModules } from './modules';
import { expertPlacement } from './runSetup';
import { heaviestSequentialPointer, sequentialOwnerCounts } from './selection';
import {
  checkpointComposition,
  effectiveExpertsPerCheckpoint,
  effectiveExpertsPersisted,
  type CheckpointComposition,
} from './sizes';
import type { CheckpointCosts, CostsForK } from './types';
import {
  bytesPerNode,
  checkpointWorkload,
  pecImbalanceNote,
  rankLayout,
  type CheckpointWorkload,
  type NodeBytes,
  type RankLayout,
} from './workload';

/** Everything about a scenario's checkpointing that does not depend on K. */
interface Prepared {
  scenario: Scenario;
  composition: CheckpointComposition;
  modules: Float64Array;
  layout: RankLayout;
  iteration: IterationTime;
  hostBytesPerSecond: number;
  storageBytesPerSecond: number;
  load: StateLoad;
}

/** Reading the model state back after a fault. */
interface StateLoad {
  /** Bytes the failed node reads from storage: every one of its GPUs' state, replicated weights once per GPU. */
  nodeBytes: number;
  /** Bytes one GPU copies over its host link. */
  gpuBytes: number;
  seconds: number;
}

/** What one checkpoint at a given K costs, with the per-rank and per-node detail behind the numbers. */
export interface CheckpointCostBreakdown {
  /** K (K_snapshot with two-level saving) after clamping; N when PEC is off. */
  k: number;
  /** K_persist ≤ K with two-level saving; K without. */
  kPersist: number;
  /** The sequential-rotation start priced: the heaviest checkpoint of the rotation. */
  pointer: number;
  composition: CheckpointComposition;
  layout: RankLayout;
  iteration: IterationTime;
  /** GPU→CPU snapshot per rank (two-level), or the direct write to storage (without). */
  snapshot: CheckpointWorkload;
  snapshotNodes: NodeBytes;
  /** CPU→storage persist per rank (two-level only). */
  persist?: CheckpointWorkload;
  persistNodes?: NodeBytes;
  /** Time to read the model state back after a fault (part of restartSeconds). */
  loadSeconds: number;
  /**
   * Bytes the failed node reads from storage to restart: each GPU reads its own copy of what it holds, so the
   * non-expert weights every data-parallel rank replicates are read once per GPU and the total can exceed the
   * checkpoint.
   */
  loadNodeBytes: number;
  /** Bytes one GPU copies from host memory to restart. */
  loadGpuBytes: number;
  /** MoC §4.3 imbalance warning for this K, when it applies. */
  imbalanceNote?: string;
  /**
   * Two-level saving with K_persist < K: the failed node's experts come back from storage, older than K suggests, so
   * PLT can exceed single-level saving's (MoC §5.1); every expert does when every node holds every expert.
   */
  storageRecoveryNote?: string;
  /** An inference workload: the lab still prices training steps, and says so. */
  trainingOnlyNote?: string;
  costs: CheckpointCosts;
}

/**
 * Checkpoints save a training job's state (MoC §2), so the lab prices training steps whatever the workload mode; an
 * inference scenario would otherwise show training figures with nothing to say why.
 */
function trainingOnlyNote(scenario: Scenario): string | undefined {
  const { mode, batchSize, seqLen } = scenario.workload;
  if (mode === 'training') return undefined;
  const modeName = mode === 'prefill' ? 'inference prefill' : 'inference decode';
  return (
    `Checkpointing saves a training job’s state, so this lab prices training steps (forward, backward and update) ` +
    `of the scenario’s ${batchSize} sequences of ${seqLen} tokens. The workload is set to ${modeName}, which the ` +
    `Summary and Routing labs use; choose training to match them.`
  );
}

/** Whether every node holds (a shard of) every expert, so a fault on any node needs every expert from storage. */
function everyNodeHoldsEveryExpert(scenario: Scenario, experts: number): { nodes: number; holds: boolean } {
  const { nodes, expertsOnNode } = expertPlacement(scenario, experts);
  for (let node = 0; node < nodes; node += 1)
    if (expertsOnNode(node).includes(0)) return { nodes, holds: false };
  return { nodes, holds: true };
}

/**
 * MoC §5.1: after a fault, healthy nodes restore their experts from the in-memory snapshot and only the failed node
 * reads storage, where only K_persist of the K snapshotted experts per layer were written. Two-level saving therefore
 * cuts both ways. The paper's trade-off is at the same persist budget: against single-level saving of K_persist
 * experts, the failed node's experts come back about as old and the healthy nodes' newer. Against a single-level
 * save of all K to storage, the failed node's come back older, and with few nodes that can outweigh the healthy
 * nodes' gain (on two nodes half the experts come from storage). Said whenever K_persist < K, since the simulated
 * PLT can then exceed that of a single-level save of all K.
 * When every node holds a shard of every expert (one node; or an EP group inside each node, repeated by data
 * parallelism, like the paper's Case 3), every expert comes from storage and two-level saving cannot lower PLT.
 */
function storageRecoveryNote(
  scenario: Scenario,
  experts: number,
  k: number,
  kPersist: number,
): string | undefined {
  if (!scenario.checkpoint.twoLevel || kPersist >= k) return undefined;
  const { nodes, holds } = everyNodeHoldsEveryExpert(scenario, experts);
  const stored = `only K_persist = ${kPersist} of the K = ${k} snapshotted experts per layer were written to storage`;
  if (!holds)
    return (
      `Two-level saving cuts both ways (MoC §5.1): after a fault the healthy nodes restore their experts from the ` +
      `newer in-memory snapshot, but the failed node restores its experts from storage, where ${stored}. At the ` +
      `same persist budget, the paper’s comparison, it helps: against single-level saving with K = K_persist = ` +
      `${kPersist}, the failed node’s experts come back about as old and the healthy nodes’ newer. Against a ` +
      `single-level save of all K = ${k}, which writes more to storage, the failed node’s come back older. With ` +
      `${nodes} nodes, 1/${nodes} of the experts come from storage at each fault, and PLT can end up above that ` +
      `save’s. Raise K_persist, or compare with two-level saving off (all K to storage).`
    );
  const why =
    nodes === 1
      ? 'All GPUs are on one node, so a fault takes down the whole job and no healthy node can restore its experts from the in-memory snapshot (MoC §5.1)'
      : `Each of the ${nodes} nodes holds a shard of every expert (an EP group of ${scenario.parallelism.ep} GPUs fits inside a node, and data parallelism repeats it on each), and a failed node's shards are only in its memory and in storage, so a fault on any node brings every expert back from storage (MoC §5.1)`;
  return (
    `${why}: every expert comes back from storage, where ${stored}. Here two-level saving can lose more tokens ` +
    `than writing all K to storage would, and at the same persist budget (K_persist to storage either way) it ` +
    `gains nothing; with EP spread across nodes (the paper's Case 2), healthy nodes hold other experts and ` +
    `restore them from the newer snapshot.`
  );
}

/**
 * Reading every GPU's model state back after a fault: its node's GPUs read from storage together (at the write
 * bandwidth: the scenario has no read figure), then each copies its share to the GPU. Each GPU reads what it holds,
 * as a sharded load does (every rank loads its own state dict), so the non-expert weights that data parallelism
 * replicates are read once per GPU, not once per node: not a double count, but a load that does not deduplicate.
 * Two-level saving lets healthy nodes restore from memory (MoC §5.1), but the restart waits for the failed node,
 * which reads storage.
 */
function stateLoad(
  composition: CheckpointComposition,
  layout: RankLayout,
  host: number,
  storage: number,
): StateLoad {
  const { dataParallel: dp, expertParallel: ep, tensorParallel: tp, zeroStage } = layout;
  const weights =
    zeroStage >= 3
      ? composition.nonExpertWeightBytes / dp + composition.expertWeightBytes / dp
      : composition.nonExpertWeightBytes + composition.expertWeightBytes / ep;
  const optimizer =
    zeroStage >= 1
      ? (composition.nonExpertOptimizerBytes + composition.expertOptimizerBytes) / dp
      : composition.nonExpertOptimizerBytes + composition.expertOptimizerBytes / ep;
  const perGpu = (weights + optimizer) / tp;
  const gpusOnNode = Math.min(layout.gpusPerNode, dp * tp);
  const nodeBytes = gpusOnNode * perGpu;
  // Node reads its GPUs' state at the storage bandwidth, then each GPU copies its own over the host link.
  return { nodeBytes, gpuBytes: perGpu, seconds: nodeBytes / storage + perGpu / host };
}

function prepare(scenario: Scenario): Prepared {
  const composition = checkpointComposition(scenario);
  const layout = rankLayout(scenario);
  const hostBytesPerSecond = scenario.hardware.hostLinkGBps * 1e9;
  const storageBytesPerSecond = scenario.hardware.storageWriteGBps * 1e9;
  return {
    scenario,
    composition,
    modules: nonExpertModules(resolveArchitecture(scenario)),
    layout,
    iteration: iterationTime(scenario),
    hostBytesPerSecond,
    storageBytesPerSecond,
    load: stateLoad(composition, layout, hostBytesPerSecond, storageBytesPerSecond),
  };
}

/** Largest of a typed array (0 when empty). */
function maxOf(values: Float64Array): number {
  let max = 0;
  for (const value of values) max = Math.max(max, value);
  return max;
}

/**
 * A direct write with no CPU-memory stage: each GPU copies its share to the host, then the node writes what its
 * GPUs saved to storage (the two phases of MoC §2.3.1 in sequence, as a blocking save runs them); the checkpoint
 * ends when the slowest node does.
 */
function directWriteSeconds(nodes: NodeBytes, host: number, storage: number): number {
  let slowest = 0;
  for (let node = 0; node < nodes.nodeBytes.length; node += 1) {
    const seconds = (nodes.maxGpuBytes[node] ?? 0) / host + (nodes.nodeBytes[node] ?? 0) / storage;
    slowest = Math.max(slowest, seconds);
  }
  return slowest;
}

function breakdownFor(
  prepared: Prepared,
  requestedK: number,
  requestedPersist: number = prepared.scenario.checkpoint.expertsPersisted,
): CheckpointCostBreakdown {
  const { scenario, composition, layout, modules, iteration } = prepared;
  const settings = scenario.checkpoint;
  const k = effectiveExpertsPerCheckpoint(scenario, requestedK, composition.experts);
  const twoLevel = settings.twoLevel;
  const kPersist = effectiveExpertsPersisted(scenario, requestedPersist, k);
  const ep = layout.expertParallel;
  const owners = new Float64Array(ep);
  // The static model prices sequential selection (load-aware has no fixed pattern; under even routing it saves as
  // many experts per checkpoint) at the rotation's heaviest checkpoint.
  const pointer = heaviestSequentialPointer(composition.moeLayers, composition.experts, ep, k, owners);
  sequentialOwnerCounts(composition.moeLayers, composition.experts, ep, k, pointer, owners);
  const snapshot = checkpointWorkload(composition, modules, layout, settings.sharding, owners);
  const snapshotNodes = bytesPerNode(snapshot.rankBytes, layout);

  let snapshotSeconds: number;
  let persistSeconds = 0;
  let persist: CheckpointWorkload | undefined;
  let persistNodes: NodeBytes | undefined;
  if (twoLevel) {
    // MoC §5: GPU→CPU snapshot over each GPU's host link; the bottleneck GPU sets its duration.
    snapshotSeconds = snapshot.bottleneckGpuBytes / prepared.hostBytesPerSecond;
    // MoC §5.1: K_persist of the K_snapshot experts (the first of each layer's run) go on to storage.
    sequentialOwnerCounts(composition.moeLayers, composition.experts, ep, kPersist, pointer, owners);
    persist = checkpointWorkload(composition, modules, layout, settings.sharding, owners);
    persistNodes = bytesPerNode(persist.rankBytes, layout);
    // MoC §5.2: each node's agent writes its buffer to storage; the slowest node sets T_persist.
    persistSeconds = maxOf(persistNodes.nodeBytes) / prepared.storageBytesPerSecond;
  } else {
    snapshotSeconds = directWriteSeconds(
      snapshotNodes,
      prepared.hostBytesPerSecond,
      prepared.storageBytesPerSecond,
    );
  }

  const saveStallSeconds = settings.asynchronous
    ? // MoC Eq. 10: only the part of the snapshot the next forward and backward pass cannot hide stalls.
      Math.max(0, snapshotSeconds - iteration.totalSeconds)
    : // Blocking: training waits for the snapshot (two-level: the node agent persists in the background, MoC §5.2).
      snapshotSeconds;
  const imbalanceNote = settings.pec ? pecImbalanceNote(k, composition.moeLayers, ep) : undefined;
  const storageNote = storageRecoveryNote(scenario, composition.experts, k, kPersist);
  const trainingOnly = trainingOnlyNote(scenario);
  return {
    k,
    kPersist,
    pointer,
    composition,
    layout,
    iteration,
    snapshot,
    snapshotNodes,
    ...(persist ? { persist } : {}),
    ...(persistNodes ? { persistNodes } : {}),
    loadSeconds: prepared.load.seconds,
    loadNodeBytes: prepared.load.nodeBytes,
    loadGpuBytes: prepared.load.gpuBytes,
    ...(imbalanceNote ? { imbalanceNote } : {}),
    ...(storageNote ? { storageRecoveryNote: storageNote } : {}),
    ...(trainingOnly ? { trainingOnlyNote: trainingOnly } : {}),
    costs: {
      iterationSeconds: iteration.totalSeconds,
      snapshotSeconds,
      persistSeconds,
      saveStallSeconds,
      // O_restart (MoC Eq. 3): the user's restart time plus reading the state back.
      restartSeconds: settings.restartMinutes * 60 + prepared.load.seconds,
      checkpointBytes: snapshot.totalBytes,
      bottleneckRankBytes: snapshot.bottleneckGpuBytes,
    },
  };
}

/** The full breakdown of one checkpoint at K (default: the scenario's K), for panels and metrics. */
export function checkpointCostBreakdown(
  scenario: Scenario,
  k: number = scenario.checkpoint.expertsPerCheckpoint,
): CheckpointCostBreakdown {
  return breakdownFor(prepare(scenario), k);
}

/**
 * The CheckpointCosts contract: what a checkpoint costs for any K and K_persist, memoised (dynamic K asks again when
 * it doubles them). PEC off prices every K as N. See CheckpointCosts for the meaning of each figure.
 */
export function checkpointCosts(scenario: Scenario): CostsForK {
  const prepared = prepare(scenario);
  const cache = new Map<string, CheckpointCosts>();
  return (expertsPerCheckpoint, expertsPersisted = scenario.checkpoint.expertsPersisted) => {
    const k = effectiveExpertsPerCheckpoint(scenario, expertsPerCheckpoint, prepared.composition.experts);
    const key = `${k}|${effectiveExpertsPersisted(scenario, expertsPersisted, k)}`;
    let costs = cache.get(key);
    if (!costs) {
      costs = breakdownFor(prepared, k, expertsPersisted).costs;
      cache.set(key, costs);
    }
    return costs;
  };
}

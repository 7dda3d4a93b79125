import type { GpuSpec, Precision } from '../catalog/hardwareTypes';
import { input, type Metric } from '../metric';
import { flopsPerTokenMetric } from '../metrics/model';
import { countParameters } from '../model/params';
import {
  resolveArchitecture,
  resolveGpu,
  resolveInterLink,
  resolveIntraLink,
  worldSize,
} from '../scenario/resolve';
import type { Scenario } from '../scenario/types';

/** Bytes per activation element sent through the all-to-all (BF16 activations). */
export const ACTIVATION_BYTES = 2;

/** All-to-alls per MoE layer per training step: dispatch and combine, forward and backward (MoE survey §6.3). */
export const ALL_TO_ALLS_PER_MOE_LAYER = 4;

/** Below this a precision's peak counts as "no tensor cores for it" (the BF16 field's own minimum). */
const MIN_PEAK_TFLOPS = 1;

/** Peak dense tensor throughput at a precision, TFLOP/s; BF16 where the chip has none at that precision. */
export function peakTflops(gpu: GpuSpec, precision: Precision): number {
  const peak = precision === 'fp4' ? gpu.fp4Tflops : precision === 'fp8' ? gpu.fp8Tflops : gpu.bf16Tflops;
  return peak >= MIN_PEAK_TFLOPS ? peak : Math.max(MIN_PEAK_TFLOPS, gpu.bf16Tflops);
}

/** T_F&B of one training step, split into its parts. */
export interface IterationTime {
  tokensPerStep: number;
  flopsPerToken: number;
  flopsPerStep: number;
  gpus: number;
  peakTflops: number;
  computeSeconds: number;
  /** Tokens each data-parallel rank processes per step. */
  tokensPerRank: number;
  /** Bytes one GPU sends to the other GPUs of its EP group in one all-to-all. */
  allToAllBytes: number;
  /** The GPU's EP peers in its own node and in other nodes (EP − 1 in all). */
  peersInNode: number;
  peersInOtherNodes: number;
  /** Of those, the bytes that stay in the GPU's node (NVLink or PCIe) and the bytes that leave it (the network). */
  intraNodeBytes: number;
  interNodeBytes: number;
  /** The links the EP all-to-all crosses, per GPU and direction, GB/s. */
  intraLinkGBps: number;
  intraLinkName: string;
  interLinkGBps: number;
  interLinkName: string;
  /** Whether the EP group fits in a node (EP·TP ≤ GPUs per node): then nothing crosses the network. */
  intraNode: boolean;
  /** Per step: the time the in-node shares take on their link, and the cross-node shares on theirs. */
  intraNodeSeconds: number;
  interNodeSeconds: number;
  /** The slower of the two: both links carry their shares at once. */
  allToAllSeconds: number;
  totalSeconds: number;
}

/**
 * One training step (forward, backward, update) without checkpointing: compute at the achieved fraction of peak,
 * plus the MoE all-to-alls, not overlapped (Megatron-DeepSpeed runs them in sequence).
 */
export function iterationTime(scenario: Scenario): IterationTime {
  const arch = resolveArchitecture(scenario);
  const gpu = resolveGpu(scenario);
  const training: Scenario = { ...scenario, workload: { ...scenario.workload, mode: 'training' } };
  const flopsPerToken = flopsPerTokenMetric(training).value;
  const tokensPerStep = scenario.workload.batchSize * scenario.workload.seqLen;
  const flopsPerStep = flopsPerToken * tokensPerStep;
  const gpus = worldSize(scenario);
  const peak = peakTflops(gpu, scenario.workload.precision);
  // Training time = FLOPs / (GPUs × peak × achieved fraction); MoC §6.2.4 simulates A800 at 312 TFLOPS × 20%.
  const computeSeconds = flopsPerStep / (gpus * peak * 1e12 * scenario.hardware.computeEfficiency);

  const { ep, tp, dp } = scenario.parallelism;
  const intraLink = resolveIntraLink(scenario);
  const interLink = resolveInterLink(scenario);
  // EP groups are consecutive ranks (DeepSpeed-MoE and Megatron), TP innermost: a node holds G_node/TP of a group's
  // ranks, so a GPU's EP peers are these less one in its node and the rest in other nodes.
  const epRanksPerNode = Math.max(1, Math.floor(scenario.hardware.gpusPerNode / tp));
  const intraNode = ep <= epRanksPerNode;
  const sameNodePeers = Math.max(0, Math.min(ep, epRanksPerNode) - 1);
  const otherNodePeers = Math.max(0, ep - 1 - sameNodePeers);
  const tokensPerRank = tokensPerStep / dp;
  const moeLayers = countParameters(arch).moeLayers;
  // Dispatch sends each token's k copies of a d-wide activation; under uniform routing 1/EP of them go to each peer.
  const bytesPerPeer = (tokensPerRank * arch.topK * arch.hiddenSize * ACTIVATION_BYTES) / ep;
  const intraNodeBytes = bytesPerPeer * sameNodePeers;
  const interNodeBytes = bytesPerPeer * otherNodePeers;
  // 4 all-to-alls per MoE layer per step (MoE survey §6.3), each share at its link's achieved bandwidth.
  const perStep = ALL_TO_ALLS_PER_MOE_LAYER * moeLayers;
  const efficiency = scenario.hardware.networkEfficiency;
  const intraNodeSeconds = (perStep * intraNodeBytes) / (intraLink.bandwidthGBps * 1e9 * efficiency);
  const interNodeSeconds = (perStep * interNodeBytes) / (interLink.bandwidthGBps * 1e9 * efficiency);
  // NCCL's all-to-all posts every peer's send at once, so the in-node and cross-node shares move concurrently on
  // their own links and the step waits for the slower (the cross-node one whenever the group spans nodes).
  const allToAllSeconds = Math.max(intraNodeSeconds, interNodeSeconds);
  return {
    tokensPerStep,
    flopsPerToken,
    flopsPerStep,
    gpus,
    peakTflops: peak,
    computeSeconds,
    tokensPerRank,
    peersInNode: sameNodePeers,
    peersInOtherNodes: otherNodePeers,
    allToAllBytes: intraNodeBytes + interNodeBytes,
    intraNodeBytes,
    interNodeBytes,
    intraLinkGBps: intraLink.bandwidthGBps,
    intraLinkName: intraLink.name,
    interLinkGBps: interLink.bandwidthGBps,
    interLinkName: interLink.name,
    intraNode,
    intraNodeSeconds,
    interNodeSeconds,
    allToAllSeconds,
    totalSeconds: computeSeconds + allToAllSeconds,
  };
}

export function iterationTimeMetric(scenario: Scenario): Metric {
  const time = iterationTime(scenario);
  const arch = resolveArchitecture(scenario);
  return {
    id: 'checkpoint.iterationSeconds',
    label: 'Training iteration T_F&B',
    value: time.totalSeconds,
    unit: 's',
    formula:
      'T_F&B = C·B·S / (G · F_peak · η_c) + 4 · L_moe · (B·S/DP) · k · d · 2 B / EP · max(n_node / BW_intra, n_other / BW_inter) / η_n',
    inputs: [
      input('C', 'training FLOPs per token (fwd + bwd)', time.flopsPerToken, 'FLOP'),
      input('B·S', 'tokens per step (batch × sequence)', time.tokensPerStep, 'tokens'),
      input('G', 'GPUs', time.gpus, 'GPUs'),
      input(
        'F_peak',
        `peak ${scenario.workload.precision.toUpperCase()} throughput`,
        time.peakTflops,
        'TFLOP/s',
      ),
      input('η_c', 'compute efficiency', scenario.hardware.computeEfficiency, ''),
      input('T_compute', 'compute time', time.computeSeconds, 's'),
      input('L_moe', 'MoE layers', countParameters(arch).moeLayers, 'layers'),
      input('k', 'top-k', arch.topK, 'experts'),
      input('d', 'hidden size', arch.hiddenSize, ''),
      input('EP', 'expert-parallel degree', scenario.parallelism.ep, 'GPUs'),
      input('n_node', 'EP peers in the GPU’s node', time.peersInNode, 'GPUs'),
      input('BW_intra', `intra-node link (${time.intraLinkName})`, time.intraLinkGBps, 'GB/s'),
      input('n_other', 'EP peers in other nodes', time.peersInOtherNodes, 'GPUs'),
      input('BW_inter', `inter-node link (${time.interLinkName})`, time.interLinkGBps, 'GB/s'),
      input('η_n', 'network efficiency', scenario.hardware.networkEfficiency, ''),
      input('T_a2a', 'all-to-all time', time.allToAllSeconds, 's'),
    ],
    source:
      'Compute: Kaplan et al. 2020 Table 1 FLOPs at the datasheet peak × achieved fraction (MoC-System §6.2.4: 20% on A800); all-to-all: 4 per MoE layer per step (MoE survey §6.3), EP groups of consecutive ranks (DeepSpeed-MoE, Megatron)',
    note: 'Compute and all-to-all are added, not overlapped; the update is folded into the compute. The shares for peers in the node and in other nodes move at once, each on its own link, so the slower sets T_a2a. Activation recomputation, if used, is not counted.',
  };
}

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
  /** Bytes one GPU sends in one all-to-all. */
  allToAllBytes: number;
  /** The link the EP all-to-all crosses, per GPU and direction, GB/s. */
  linkGBps: number;
  linkName: string;
  /** Whether the EP group fits in a node (EP·TP ≤ GPUs per node). */
  intraNode: boolean;
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
  const intraNode = ep * tp <= scenario.hardware.gpusPerNode;
  const link = intraNode ? resolveIntraLink(scenario) : resolveInterLink(scenario);
  const tokensPerRank = tokensPerStep / dp;
  const moeLayers = countParameters(arch).moeLayers;
  // Dispatch sends each token's k copies of a d-wide activation; under uniform routing (EP−1)/EP leave the GPU.
  const allToAllBytes = (tokensPerRank * arch.topK * arch.hiddenSize * ACTIVATION_BYTES * (ep - 1)) / ep;
  // 4 all-to-alls per MoE layer per step (MoE survey §6.3), at the link's achieved bandwidth.
  const allToAllSeconds =
    (ALL_TO_ALLS_PER_MOE_LAYER * moeLayers * allToAllBytes) /
    (link.bandwidthGBps * 1e9 * scenario.hardware.networkEfficiency);
  return {
    tokensPerStep,
    flopsPerToken,
    flopsPerStep,
    gpus,
    peakTflops: peak,
    computeSeconds,
    tokensPerRank,
    allToAllBytes,
    linkGBps: link.bandwidthGBps,
    linkName: link.name,
    intraNode,
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
      'T_F&B = C·B·S / (G · F_peak · η_c) + 4 · L_moe · (B·S/DP) · k · d · 2 B · (EP−1)/EP / (BW_link · η_n)',
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
      input(
        'BW_link',
        `${time.intraNode ? 'intra' : 'inter'}-node link (${time.linkName})`,
        time.linkGBps,
        'GB/s',
      ),
      input('η_n', 'network efficiency', scenario.hardware.networkEfficiency, ''),
      input('T_a2a', 'all-to-all time', time.allToAllSeconds, 's'),
    ],
    source:
      'Compute: Kaplan et al. 2020 Table 1 FLOPs at the datasheet peak × achieved fraction (MoC-System §6.2.4: 20% on A800); all-to-all: 4 per MoE layer per step (MoE survey §6.3)',
    note: 'Compute and all-to-all are added, not overlapped; the update is folded into the compute. Activation recomputation, if used, is not counted.',
  };
}

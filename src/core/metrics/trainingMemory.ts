import { input, type Metric } from '../metric';
import { TRAINING_WEIGHT_BYTES } from '../model/heldWeightBytes';
import { optimizerBytesPerParam } from '../model/optimizerBytes';
import { countParameters } from '../model/params';
import { resolveArchitecture, resolveGpu } from '../scenario/resolve';
import type { Scenario } from '../scenario/types';
import { weightMemoryPerGpuMetric } from './model';

const ZERO =
  'ZeRO (Rajbhandari et al., SC 2020) §5: stage 1 partitions optimizer states, 2 also gradients, 3 also weights';

/**
 * Bytes of model states one GPU holds in training (ZeRO's term: weights, gradients and optimizer states; activations
 * and buffers come on top). Non-expert parameters are split by TP and replicated on the DP ranks; a GPU's routed
 * experts (n/EP of them, split by TP) are replicated on DP/EP ranks, the experts' data-parallel group
 * (DeepSpeed-MoE). ZeRO partitions each state over the ranks that replicate it.
 */
function trainingStateBytes(scenario: Scenario) {
  const counts = countParameters(resolveArchitecture(scenario));
  const { ep, dp, tp, zeroStage } = scenario.parallelism;
  // BF16 weights and gradients whatever the compute precision (heldWeightBytes.ts: FP8 is the GEMMs' format).
  const weightBytes = TRAINING_WEIGHT_BYTES;
  const optimizerBytes = optimizerBytesPerParam(scenario);
  const nonExpert = counts.nonExpert / tp;
  const expert = counts.routedExpert / (ep * tp);
  const expertReplicas = Math.max(1, dp / ep);
  /** A state's parameters on this GPU, partitioned over its replicas once ZeRO reaches `stage`. */
  const held = (stage: number) =>
    zeroStage >= stage ? nonExpert / dp + expert / expertReplicas : nonExpert + expert;
  // The weights are the Summary's weight-memory figure (ZeRO-3 partitions them as `held(3)` would).
  const weights = weightMemoryPerGpuMetric(scenario).value;
  const gradients = held(2) * weightBytes;
  const optimizer = held(1) * optimizerBytes;
  return {
    weights,
    gradients,
    optimizer,
    total: weights + gradients + optimizer,
    weightBytes,
    optimizerBytes,
  };
}

export function trainingStateMemoryMetric(scenario: Scenario): Metric {
  const bytes = trainingStateBytes(scenario);
  const { ep, dp, tp, zeroStage } = scenario.parallelism;
  return {
    id: 'trainingStateMemoryPerGpu',
    label: 'Model states per GPU in training',
    value: bytes.total,
    unit: 'B',
    formula: 'M_states = M_weights + M_gradients + M_optimizer, each partitioned over its replicas by ZeRO',
    inputs: [
      input(
        'M_weights',
        `weights (B_w = ${bytes.weightBytes} B; ZeRO-3 partitions them)`,
        bytes.weights,
        'B',
      ),
      input(
        'M_gradients',
        'gradients, as many bytes as the weights (ZeRO-2 partitions them)',
        bytes.gradients,
        'B',
      ),
      input(
        'M_optimizer',
        `optimizer states (B_o = ${bytes.optimizerBytes} B per parameter; ZeRO-1 partitions them)`,
        bytes.optimizer,
        'B',
      ),
      input('ZeRO', 'ZeRO stage', zeroStage, ''),
      input('DP', 'replicas of the non-expert part', dp, 'ranks'),
      input('DP/EP', 'replicas of each expert (its data-parallel group)', Math.max(1, dp / ep), 'ranks'),
      input('TP', 'tensor-parallel degree', tp, 'GPUs'),
    ],
    source: `${ZERO}; experts replicated on DP/EP ranks as in DeepSpeed-MoE (Rajbhandari et al., ICML 2022)`,
    note: 'Activations, the all-to-all buffers and framework overhead come on top; B_o is the Checkpointing lab’s optimizer bytes per parameter.',
  };
}

export function trainingStateMemoryFractionMetric(scenario: Scenario): Metric {
  const bytes = trainingStateBytes(scenario).total;
  const memGB = resolveGpu(scenario).memGB;
  const fraction = bytes / (memGB * 1e9);
  return {
    id: 'trainingStateMemoryFraction',
    label: 'Model states / GPU memory in training',
    value: fraction,
    unit: 'fraction',
    formula: 'M_states / M_GPU',
    inputs: [
      input('M_states', 'model states per GPU', bytes, 'B'),
      input('M_GPU', 'GPU memory', memGB * 1e9, 'B'),
    ],
    source: 'GPU memory from the hardware preset’s datasheet',
    note:
      fraction > 1
        ? 'Does not fit, even before activations: raise DP (more replicas to partition over), the ZeRO stage, EP or TP, or use GPUs with more memory.'
        : 'Fits before activations, which need the rest.',
    ...(fraction > 1 ? { flag: 'does not fit' } : {}),
  };
}

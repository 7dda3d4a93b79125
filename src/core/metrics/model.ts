import { input, type Metric } from '../metric';
import { formatInput } from '../format';
import { heldWeightBytes } from '../model/heldWeightBytes';
import { attentionParamsPerLayer, countParameters, paramsPerExpert } from '../model/params';
import { resolveArchitecture, resolveGpu } from '../scenario/resolve';
import type { Scenario } from '../scenario/types';

const COUNTING_SOURCE =
  'Derived from the architecture: attention + FFN/expert + router + embedding weight matrices (biases and norms ignored)';

export function totalParamsMetric(scenario: Scenario): Metric {
  const counts = countParameters(resolveArchitecture(scenario));
  return {
    id: 'totalParams',
    label: 'Total parameters',
    value: counts.total,
    unit: 'params',
    formula: 'P = P_non-expert + L_moe · n · P_expert',
    inputs: [
      input(
        'P_non-expert',
        'attention, dense FFNs, shared experts, routers, embeddings',
        counts.nonExpert,
        'params',
      ),
      input('L_moe', 'MoE layers', counts.moeLayers, 'layers'),
      input('n', 'routed experts', resolveArchitecture(scenario).experts, 'experts'),
      input('P_expert', 'parameters per expert', counts.perExpert, 'params'),
    ],
    source: COUNTING_SOURCE,
  };
}

export function activeParamsMetric(scenario: Scenario): Metric {
  const arch = resolveArchitecture(scenario);
  const counts = countParameters(arch);
  return {
    id: 'activeParams',
    label: 'Active parameters per token',
    value: counts.active,
    unit: 'params',
    formula: 'P_active = P_non-expert + L_moe · k · P_expert',
    inputs: [
      input('P_non-expert', 'non-expert parameters (incl. shared experts)', counts.nonExpert, 'params'),
      input('L_moe', 'MoE layers', counts.moeLayers, 'layers'),
      input('k', 'top-k', arch.topK, 'experts'),
      input('P_expert', 'parameters per expert', counts.perExpert, 'params'),
    ],
    source: COUNTING_SOURCE,
    note: 'Counts both embedding matrices; some publishers (DeepSeek) leave the input embedding out of “activated” parameters.',
  };
}

export function paramsPerExpertMetric(scenario: Scenario): Metric {
  const arch = resolveArchitecture(scenario);
  return {
    id: 'paramsPerExpert',
    label: 'Parameters per expert',
    value: paramsPerExpert(arch),
    unit: 'params',
    formula: arch.gatedFfn
      ? 'P_expert = 3 · d · f_expert (SwiGLU: W1, W3, W2)'
      : 'P_expert = 2 · d · f_expert',
    inputs: [
      input('d', 'hidden size', arch.hiddenSize, ''),
      input('f_expert', 'expert FFN size', arch.expertFfnSize, ''),
    ],
    source: 'DualSparse-MoE §2.1 (SwiGLU expert f(x) = (Swish(xW1) ⊙ xW3)W2)',
  };
}

/**
 * Forward FLOPs per token: 2 per active non-embedding weight plus attention scores over the context
 * (Kaplan et al. 2020, Table 1: C_forward ≈ 2N + 2·n_layer·n_ctx·d_attn). Training multiplies by 3 (forward + 2× backward).
 */
export function flopsPerTokenMetric(scenario: Scenario): Metric {
  const arch = resolveArchitecture(scenario);
  const counts = countParameters(arch);
  const context = scenario.workload.seqLen;
  const attentionWidth = arch.attentionHeads * arch.headDim;
  const forward = 2 * counts.activeNonEmbedding + 2 * arch.layers * context * attentionWidth;
  const training = scenario.workload.mode === 'training';
  const multiplier = training ? 3 : 1;
  return {
    id: 'flopsPerToken',
    label: training ? 'FLOPs per token (fwd + bwd)' : 'FLOPs per token (forward)',
    value: forward * multiplier,
    unit: 'FLOP',
    formula: `C = ${training ? '3 · ' : ''}(2 · N_active + 2 · L · n_ctx · d_attn)`,
    inputs: [
      input('N_active', 'active non-embedding parameters', counts.activeNonEmbedding, 'params'),
      input('L', 'layers', arch.layers, 'layers'),
      input('n_ctx', 'context (sequence length)', context, 'tokens'),
      input('d_attn', 'attention width H · h_d', attentionWidth, ''),
    ],
    source:
      'Kaplan et al., "Scaling Laws for Neural Language Models", arXiv 2001.08361, Table 1; backward = 2× forward',
    // Computed as asked either way: a config's context limit is what the model was built for, not a hard bound.
    ...(context > arch.maxContext
      ? {
          flag: `context above the model’s ${formatInput(arch.maxContext, 'tokens')}`,
          note: `The sequence length, ${formatInput(context, 'tokens')}, is longer than the longest context the model supports (${formatInput(arch.maxContext, 'tokens')}, Max context under Architecture): the figures are computed as asked, but the model was not built for it.`,
        }
      : {}),
  };
}

/**
 * Weight bytes each GPU holds: non-expert weights split by TP, routed experts split by EP × TP; ZeRO-3 also
 * shards weights across the data-parallel ranks.
 */
export function weightMemoryPerGpuMetric(scenario: Scenario): Metric {
  const arch = resolveArchitecture(scenario);
  const counts = countParameters(arch);
  const { ep, tp, dp, zeroStage } = scenario.parallelism;
  const { mode, precision } = scenario.workload;
  const bytesPerParam = heldWeightBytes(mode, precision);
  const zeroShards = zeroStage >= 3 ? dp : 1;
  const nonExpertShard = counts.nonExpert / (tp * zeroShards);
  const expertShard = zeroStage >= 3 ? counts.routedExpert / (tp * dp) : counts.routedExpert / (ep * tp);
  const bytes = (nonExpertShard + expertShard) * bytesPerParam;
  return {
    id: 'weightMemoryPerGpu',
    label: 'Weight memory per GPU',
    value: bytes,
    unit: 'B',
    formula:
      zeroStage >= 3
        ? 'M = (P_non-expert + P_routed) / (TP · DP) · B_w'
        : 'M = (P_non-expert / TP + P_routed / (EP · TP)) · B_w',
    inputs: [
      input('P_non-expert', 'non-expert parameters', counts.nonExpert, 'params'),
      input('P_routed', 'routed-expert parameters', counts.routedExpert, 'params'),
      input('EP', 'expert-parallel degree', ep, 'GPUs'),
      input('TP', 'tensor-parallel degree', tp, 'GPUs'),
      ...(zeroStage >= 3 ? [input('DP', 'data-parallel degree (ZeRO-3)', dp, 'ranks')] : []),
      input(
        'B_w',
        mode === 'training' && precision !== 'bf16'
          ? `bytes per weight (BF16: ${precision.toUpperCase()} training computes in ${precision.toUpperCase()} but keeps BF16 weights)`
          : `bytes per weight (${precision.toUpperCase()})`,
        bytesPerParam,
        'B',
      ),
    ],
    source: `Expert parallelism places n/EP experts per GPU (MoE survey §5); ZeRO-3 partitions weights across DP (Rajbhandari et al. 2020)${mode === 'training' ? '; training keeps BF16 weights even when it computes in FP8 (DeepSeek-V3, arXiv 2412.19437, §3.3)' : ''}`,
    note: 'Weights only: optimizer state, gradients and activations come on top in training.',
  };
}

export function weightMemoryFractionMetric(scenario: Scenario): Metric {
  const bytes = weightMemoryPerGpuMetric(scenario).value;
  const memGB = resolveGpu(scenario).memGB;
  return {
    id: 'weightMemoryFraction',
    label: 'Weights / GPU memory',
    value: bytes / (memGB * 1e9),
    unit: 'fraction',
    formula: 'M / M_GPU',
    inputs: [input('M', 'weight memory per GPU', bytes, 'B'), input('M_GPU', 'GPU memory', memGB * 1e9, 'B')],
    source: 'GPU memory from the hardware preset’s datasheet',
  };
}

/** MLA query projection as the formula shows it: compressed through rank r_q, or direct (r_q = 0, e.g. DeepSeek-V2-Lite). */
function mlaFormula(qLoraRank: number): string {
  const query = qLoraRank > 0 ? 'd·r_q + r_q·H·(h_d+h_r)' : 'd·H·(h_d+h_r)';
  return `MLA: ${query} + d·(r_kv+h_r) + r_kv·H·2h_d + H·h_d·d`;
}

export function attentionParamsMetric(scenario: Scenario): Metric {
  const arch = resolveArchitecture(scenario);
  return {
    id: 'attentionParamsPerLayer',
    label: 'Attention parameters per layer',
    value: attentionParamsPerLayer(arch),
    unit: 'params',
    formula: arch.kvLoraRank > 0 ? mlaFormula(arch.qLoraRank) : '2·d·H·h_d + 2·d·H_kv·h_d',
    inputs: [
      input('d', 'hidden size', arch.hiddenSize, ''),
      input('H', 'attention heads', arch.attentionHeads, 'heads'),
      input('H_kv', 'KV heads', arch.kvHeads, 'heads'),
      input('h_d', 'head dimension', arch.headDim, ''),
      ...(arch.kvLoraRank > 0
        ? [
            input('r_kv', 'MLA KV rank', arch.kvLoraRank, ''),
            input('r_q', 'MLA query rank', arch.qLoraRank, ''),
            input('h_r', 'RoPE head dim', arch.ropeHeadDim, ''),
          ]
        : []),
    ],
    source:
      arch.kvLoraRank > 0
        ? 'DeepSeek-V2 (arXiv 2405.04434) §2.1, Eq. 9–14'
        : 'Grouped-query attention (Ainslie et al. 2023): Q, O are d·H·h_d; K, V are d·H_kv·h_d',
  };
}

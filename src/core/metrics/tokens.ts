import { input, type Metric } from '../metric';
import { resolveArchitecture } from '../scenario/resolve';
import type { Scenario } from '../scenario/types';

/** Tokens that pass through each MoE layer per step: batch × sequence (decode: one new token per sequence). */
export function tokensPerStep(scenario: Scenario): Metric {
  const { batchSize, seqLen, mode } = scenario.workload;
  if (mode === 'decode') {
    return {
      id: 'tokensPerStep',
      label: 'Tokens per step',
      value: batchSize,
      unit: 'tokens',
      formula: 't = b (decode: one new token per sequence)',
      inputs: [input('b', 'batch size', batchSize, 'sequences')],
      source: 'Capacity-Aware Inference §3 (t = b·s; s = 1 in decode)',
    };
  }
  return {
    id: 'tokensPerStep',
    label: 'Tokens per step',
    value: batchSize * seqLen,
    unit: 'tokens',
    formula: 't = b · s',
    inputs: [
      input('b', 'batch size', batchSize, 'sequences'),
      input('s', 'sequence length', seqLen, 'tokens'),
    ],
    source: 'Capacity-Aware Inference §3 (t = b·s)',
  };
}

/** Tokens each data-parallel rank routes per step (its share of the global batch). */
export function tokensPerDevice(scenario: Scenario): Metric {
  const total = tokensPerStep(scenario).value;
  const dp = scenario.parallelism.dp;
  return {
    id: 'tokensPerDevice',
    label: 'Tokens per DP rank',
    value: total / dp,
    unit: 'tokens',
    formula: 't_dev = t / DP',
    inputs: [
      input('t', 'tokens per step', total, 'tokens'),
      input('DP', 'data-parallel degree', dp, 'ranks'),
    ],
    source: 'Capacity-Aware Inference §4 (capacity is enforced on each device’s own tokens)',
  };
}

/** Mean routed assignments per expert per MoE layer, the balanced load every capacity rule is measured against. */
export function meanTokensPerExpert(scenario: Scenario): Metric {
  const arch = resolveArchitecture(scenario);
  const t = tokensPerStep(scenario).value;
  return {
    id: 'meanTokensPerExpert',
    label: 'Mean tokens per expert N̄',
    value: (t * arch.topK) / arch.experts,
    unit: 'tokens',
    formula: 'N̄ = t · k / n',
    inputs: [
      input('t', 'tokens per step', t, 'tokens'),
      input('k', 'top-k', arch.topK, 'experts'),
      input('n', 'routed experts', arch.experts, 'experts'),
    ],
    source: 'Capacity-Aware Inference, Eq. 3',
  };
}

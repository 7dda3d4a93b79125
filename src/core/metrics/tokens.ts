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

/**
 * Tokens each data-parallel rank routes per step: its share of the global batch, in whole sequences. When DP does not
 * divide the batch the ranks get ⌈b/DP⌉ or ⌊b/DP⌋ sequences, and the busiest sets the pace (a batch of 1 on 8 ranks
 * is one rank with a sequence, not 0.125 of one each).
 */
export function tokensOnBusiestRank(scenario: Scenario): number {
  const { batchSize, seqLen, mode } = scenario.workload;
  return Math.ceil(batchSize / scenario.parallelism.dp) * (mode === 'decode' ? 1 : seqLen);
}

/** The figure for tokensOnBusiestRank, with its working. */
export function tokensPerDevice(scenario: Scenario): Metric {
  const { batchSize, seqLen, mode } = scenario.workload;
  const tokensPerSequence = mode === 'decode' ? 1 : seqLen;
  const dp = scenario.parallelism.dp;
  const sequences = Math.ceil(batchSize / dp);
  const uneven = batchSize % dp !== 0;
  return {
    id: 'tokensPerDevice',
    label: uneven ? 'Tokens on the busiest DP rank' : 'Tokens per DP rank',
    value: tokensOnBusiestRank(scenario),
    unit: 'tokens',
    formula: 't_dev = ⌈b / DP⌉ · s (= t / DP when DP divides b)',
    inputs: [
      input('b', 'batch size', batchSize, 'sequences'),
      input('DP', 'data-parallel degree', dp, 'ranks'),
      input(
        's',
        mode === 'decode' ? 'tokens per sequence (decode: one)' : 'sequence length',
        tokensPerSequence,
        'tokens',
      ),
    ],
    source: 'Capacity-Aware Inference §4 (capacity is enforced on each device’s own tokens)',
    ...(uneven
      ? {
          note:
            batchSize < dp
              ? `Only ${batchSize} of the ${dp} data-parallel ranks get a sequence; the others idle.`
              : `DP=${dp} does not divide the batch of ${batchSize}: ranks get ${sequences} or ${sequences - 1} sequences.`,
        }
      : {}),
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

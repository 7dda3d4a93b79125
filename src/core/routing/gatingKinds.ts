import type { GatingKind } from './types';

/**
 * Which gating kinds restrict each token to its best expert groups, and how they score a group:
 * - DeepSeek-V3 (sigmoid affinities): a group's score is the sum of its two highest affinities (V3 report §2.1.2).
 * - DeepSeek-V2 (softmax affinities, "device-limited routing"): the groups holding the highest affinities, i.e. a
 *   group's score is its best affinity (V2 report §2.1.3; config topk_method group_limited_greedy).
 */
export type GroupScoreRule = 'top-two-sum' | 'best';

export function groupScoreRuleOf(gating: GatingKind): GroupScoreRule | null {
  if (gating === 'group-limited') return 'top-two-sum';
  if (gating === 'softmax-group-limited') return 'best';
  return null;
}

export function isGroupLimited(gating: GatingKind): boolean {
  return groupScoreRuleOf(gating) !== null;
}

/** Gates are sigmoid affinities σ(x), normalised over the chosen experts (DeepSeek-V3), not softmax probabilities. */
export function usesSigmoidGates(gating: GatingKind): boolean {
  return gating === 'sigmoid-topk-norm' || gating === 'group-limited';
}

/**
 * Whether a token's kept gates are divided by their sum, so its expert weights add up to 1: softmax renormalised over
 * the top-k (Mixtral, Qwen3; Shazeer's Softmax(TopK(·))) and DeepSeek-V3's sigmoid gates (normalised over the chosen
 * experts, V3 report §2.1.2). Unnormalised top-k keeps the probabilities themselves (OLMoE, Qwen1.5, DeepSeek-V2).
 */
export function renormalisesTopK(gating: GatingKind): boolean {
  return gating === 'softmax-topk-norm' || gating === 'sigmoid-topk-norm' || gating === 'group-limited';
}

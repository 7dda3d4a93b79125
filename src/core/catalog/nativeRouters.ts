import type { GatingKind } from '../routing/types';
import { isGroupLimited } from '../routing/gatingKinds';
import type { Scenario } from '../scenario/types';

/** How a model's own router turns scores into choices, as its authors configured it. */
export interface NativeRouter {
  gating: GatingKind;
  /** n_group and topk_group, for group-limited routers. */
  groups?: number;
  topkGroups?: number;
  /** The router in one sentence, for the Routing lab. */
  summary: string;
  source: string;
  /**
   * Whether and how the model itself drops tokens, where its report says: the lab's capacity limit is the
   * Capacity-Aware Inference remedy, which the model's own routing may not use.
   */
  dropping?: string;
}

const MIXTRAL_EQUATION =
  'Jiang et al., "Mixtral of Experts", arXiv 2401.04088, §2.1 Eq. 1: G(x) = Softmax(TopK(x·W_g))';
const MIXTRAL_SUMMARY =
  'softmax over the two best logits, so the two kept weights are renormalised to sum to 1.';

/** One router per paper whose models share it: MoC-System's GPTs (Eq. 2) and ScMoE's models (Shazeer's gating). */
const MOC_ROUTER: NativeRouter = {
  gating: 'softmax-topk',
  summary: 'softmax with noise, then top-k of the probabilities, not renormalised.',
  source: 'MoC-System §2.1 Eq. 2: G(x) = TopK(Softmax(f(x) + ε))',
};
const SCMOE_ROUTER: NativeRouter = {
  gating: 'softmax-topk-norm',
  summary: 'noisy top-2: softmax over the two best noisy logits, so the kept weights sum to 1.',
  source: 'ScMoE §2.2 Eq. 2–5: noisy top-k gating, G(x) = Softmax(TopK(H(x), k))',
};

/**
 * The routers of the model presets whose router our sources describe (every preset has one; a preset added without
 * one shows that its router is not spelled out, rather than a guess).
 */
export const NATIVE_ROUTERS: Readonly<Record<string, NativeRouter>> = {
  'mixtral-8x7b': {
    gating: 'softmax-topk-norm',
    summary: MIXTRAL_SUMMARY,
    source: MIXTRAL_EQUATION,
  },
  'mixtral-8x22b': {
    gating: 'softmax-topk-norm',
    summary: MIXTRAL_SUMMARY,
    source: `mistralai/Mixtral-8x22B-v0.1 config.json (the Mixtral architecture); ${MIXTRAL_EQUATION}`,
  },
  'deepseek-v2': {
    // routed_scaling_factor multiplies the weighted sum of the routed experts' outputs (config.json); it does not
    // renormalise the weights, which V2 leaves unnormalised (V3 report §2.1.2 contrasts V3's normalisation with it).
    gating: 'softmax-group-limited',
    groups: 8,
    topkGroups: 3,
    summary:
      'softmax affinities; each token first picks the 3 of 8 device groups holding its best affinities, then its top-6 inside them, each weighted by its own affinity without renormalising, so the six weights sum to less than 1; the routed experts’ combined output is then multiplied by a fixed routed_scaling_factor of 16 (the lab’s gate-weight figures leave that constant factor out).',
    source:
      'deepseek-ai/DeepSeek-V2 config.json (softmax scoring, n_group 8, topk_group 3, routed_scaling_factor 16); DeepSeek-V2 report, arXiv 2405.04434, §2.1.3 device-limited routing; DeepSeek-V3 report, arXiv 2412.19437, §2.1.2 (V2 did not normalise)',
    dropping:
      'DeepSeek-V2 drops tokens in training by a device-level capacity, keeping about 10% of sequences whole, and can choose at inference whether to drop (its report’s token-dropping strategy).',
  },
  'deepseek-v2-lite': {
    gating: 'softmax-topk',
    summary:
      'softmax, top-6 kept with their probabilities as weights (not renormalised), with no group limit; its 2 shared experts see every token.',
    source:
      'deepseek-ai/DeepSeek-V2-Lite config.json (scoring_func softmax, topk_method greedy, n_group 1, topk_group 1, norm_topk_prob false, routed_scaling_factor 1.0)',
  },
  'deepseek-v3': {
    gating: 'group-limited',
    groups: 8,
    topkGroups: 4,
    summary:
      'sigmoid affinities; each token keeps the 4 of 8 node groups whose two best affinities sum highest, then its top-8 inside them, normalised over the eight (then scaled by a fixed 2.5).',
    source:
      'deepseek-ai/DeepSeek-V3 config.json (sigmoid scoring, n_group 8, topk_group 4, norm_topk_prob true, routed_scaling_factor 2.5); DeepSeek-V3 report, arXiv 2412.19437, §2.1.2',
    dropping:
      'DeepSeek-V3 drops no token in training or inference (its report §2.1.2, “No Token-Dropping”): it balances with a per-expert bias instead.',
  },
  'qwen1.5-moe-a2.7b': {
    gating: 'softmax-topk',
    summary:
      'softmax, top-4 kept with their probabilities as weights (not renormalised); the shared expert sees every token.',
    source: 'Qwen/Qwen1.5-MoE-A2.7B config.json (norm_topk_prob false)',
  },
  'qwen3-30b-a3b': {
    gating: 'softmax-topk-norm',
    summary: 'softmax, top-8 renormalised to sum to 1.',
    source: 'Qwen/Qwen3-30B-A3B config.json (norm_topk_prob true)',
  },
  'qwen3-235b-a22b': {
    gating: 'softmax-topk-norm',
    summary: 'softmax, top-8 renormalised to sum to 1, as in the whole Qwen3 family.',
    source: 'DualSparse-MoE §4 (Qwen3 models already normalise their top-k scores)',
  },
  'olmoe-1b-7b': {
    gating: 'softmax-topk',
    summary: 'softmax, top-8 kept with their probabilities as weights (not renormalised).',
    source: 'allenai/OLMoE-1B-7B-0924 config.json (norm_topk_prob false)',
  },
  dbrx: {
    gating: 'softmax-topk-norm',
    summary:
      'softmax, top-4 divided by their sum (moe_normalize_expert_weights 1: the 1-norm), so they sum to 1.',
    source:
      'databricks/dbrx-instruct config.json (ffn_config: moe_top_k 4, moe_normalize_expert_weights 1); Hugging Face transformers DbrxRouter (top-k weights over their p-norm)',
  },
  'switch-base-128': {
    gating: 'softmax-topk',
    summary: 'softmax, top-1: the chosen expert’s output is scaled by its probability.',
    source: 'Switch Transformers §2.1 (y = p_i(x)·E_i(x))',
  },
  'gpt-350m-16e': MOC_ROUTER,
  'gpt-125m-8e': MOC_ROUTER,
  'gpt2-moe-medium': SCMOE_ROUTER,
  'gpt3-moe-xl': SCMOE_ROUTER,
  'llama2-moe': SCMOE_ROUTER,
};

export function nativeRouterOf(modelPreset: string): NativeRouter | undefined {
  return NATIVE_ROUTERS[modelPreset];
}

/** The routing settings that select a native router, as field entries for applyEntries. */
export function nativeRouterEntries(router: NativeRouter): [key: string, value: unknown][] {
  const entries: [string, unknown][] = [['routing.gating', router.gating]];
  if (router.groups !== undefined) entries.push(['routing.groups', router.groups]);
  if (router.topkGroups !== undefined) entries.push(['routing.topkGroups', router.topkGroups]);
  return entries;
}

/** Whether the scenario routes as the router does (group counts only matter for group-limited routers). */
export function routesNatively(scenario: Scenario, router: NativeRouter): boolean {
  const routing = scenario.routing;
  if (routing.gating !== router.gating) return false;
  if (!isGroupLimited(router.gating)) return true;
  return routing.groups === router.groups && routing.topkGroups === router.topkGroups;
}

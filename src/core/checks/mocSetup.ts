import { defaultScenario } from '../scenario/defaults';
import { encodeFragment } from '../scenario/shareLink';
import { applyEntries } from '../scenario/validate';

/**
 * GPT-350M-16E on A800s with ZeRO-2 DP + EP (MoC §6.1, Tables 1–2). What the paper does not print is an assumption,
 * each named here:
 * - batch 256 × 2,048 tokens: the DeepSpeed-MoE GPT-350M recipe the paper's models come from
 *   (Megatron-DeepSpeed examples_deepspeed/MoE/ds_pretrain_gpt_350M_MoE128.sh: GLOBAL_BATCH_SIZE=256, SEQ_LEN=2048);
 * - 20% of the 312 TFLOPS peak and a 1 GB/s GPU→CPU snapshot bandwidth: the A800 figures MoC §6.2.4 gives its
 *   ASTRA-SIM simulation (papers.md §1.10 gives them as the simulation's inputs, not as measurements of Cases 1–3);
 * - inter-node link 100 GbE RoCE per GPU: ScMoE (same authors, 2 × 8 A800) reports Ethernet between nodes, no speed;
 * - storage 5 GB/s per node and network efficiency 0.8: the app's defaults (the paper gives no figure);
 * - B_o = 12 (mixed-precision Adam) and top-1 gating (DeepSpeed-MoE's GPT models): the preset's defaults; MoC
 *   Fig. 2's shares (expert weights 12%, expert optimizer states 74%, non-expert 2% and 12%) give B_o/B_w ≈ 6, as
 *   B_w = 2 and B_o = 12 do;
 * - no activation recomputation: the same recipe sets ACTIVATION_CHECKPOINT="true", which would add a forward pass
 *   (a third more compute in T_F&B); the paper does not say whether it kept it, and the iteration model has none.
 * MoC-Async is the scenario's checkpoint defaults: PEC with K_snapshot = 4, K_persist = 1 (MoC Table 3), adaptive
 * sharding, two-level asynchronous saving.
 */
const GPT_350M_16E_ON_A800: readonly (readonly [string, unknown])[] = [
  ['model', 'gpt-350m-16e'],
  ['gpu', 'a800'],
  ['gpusPerNode', 8],
  ['tp', 1],
  ['zero', 2],
  ['precision', 'bf16'],
  ['batch', 256],
  ['seq', 2048],
  ['computeEff', 0.2],
  ['hostLinkGBps', 1],
  ['interLink', 'roce-100g'],
  ['checkpoint.sharding', 'adaptive'],
  ['checkpoint.pec', true],
  ['checkpoint.expertsPerCheckpoint', 4],
  ['checkpoint.expertsPersisted', 1],
  ['checkpoint.twoLevel', true],
  ['checkpoint.asynchronous', true],
];

/** MoC Table 2: Case1 1 node DP8 EP8; Case2 2 nodes DP16 EP16; Case3 2 nodes DP16 EP8. */
export const GPT_350M_16E_CASES = [
  { id: 'case1', name: 'Case1 (8 GPUs, DP8, EP8)', dp: 8, ep: 8 },
  { id: 'case2', name: 'Case2 (16 GPUs, DP16, EP16)', dp: 16, ep: 16 },
  { id: 'case3', name: 'Case3 (16 GPUs, DP16, EP8)', dp: 16, ep: 8 },
] as const;

export type MocCase = (typeof GPT_350M_16E_CASES)[number];

/**
 * The share link of one Case, opening on the Checkpointing lab; `changes` (scenario keys and values) are applied
 * after the setup, for checks that price another checkpoint setting on the same job.
 */
export function mocCaseFragment(
  setup: MocCase,
  changes: readonly (readonly [string, unknown])[] = [],
): string {
  return encodeFragment(
    applyEntries(defaultScenario(), [...GPT_350M_16E_ON_A800, ['ep', setup.ep], ['dp', setup.dp], ...changes])
      .scenario,
    { lab: 'checkpointing' },
  );
}

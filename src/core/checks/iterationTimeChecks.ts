import { iterationTime, type IterationTime } from '../checkpoint/iterationTime';
import { input, type Metric } from '../metric';
import type { Scenario } from '../scenario/types';
import { GPT_350M_16E_CASES, mocCaseFragment, type MocCase } from './mocSetup';
import type { CheckGroup, PaperCheck } from './types';

const PAPER = 'MoC-System';
const SOURCE = 'MoC-System (Cai et al., ASPLOS 2025) §6.2.2, Tables 1–2';

function caseOf(id: MocCase['id']): MocCase {
  const found = GPT_350M_16E_CASES.find((setup) => setup.id === id);
  if (!found) throw new Error(`MoC Table 2 has no ${id}`);
  return found;
}

/** MoC Table 2's Case3: Case2's 2 nodes and DP16, with EP8, so each EP group is one node. */
const CASE3 = caseOf('case3');

/** The scenario's job with Case3's EP degree, every other setting as it is (Table 2: only EP differs). */
export function withCase3Ep(scenario: Scenario): Scenario {
  return { ...scenario, parallelism: { ...scenario.parallelism, ep: CASE3.ep } };
}

/** Where a GPU's all-to-all shares go: "8 peers in other nodes, 7 in its node", or all in its node. */
function peerWords(time: IterationTime): string {
  if (time.peersInOtherNodes === 0) return `all ${time.peersInNode} EP peers in the GPU’s node`;
  return `${time.peersInOtherNodes} EP peers in other nodes, ${time.peersInNode} in the GPU’s node`;
}

/**
 * Seconds per iteration Case3 saves over Case2: T_F&B of the scenario (Case2, EP16) minus T_F&B of the same job at
 * Case3's EP8, both from the iteration model (compute at the achieved peak plus the MoE all-to-alls).
 */
export function case3IterationSaving(scenario: Scenario): Metric {
  const slower = iterationTime(scenario);
  const faster = iterationTime(withCase3Ep(scenario));
  const { ep } = scenario.parallelism;
  return {
    id: 'check.checkpoint.case3IterationSaving',
    label: 'Iteration time Case3 saves over Case2',
    // MoC §6.2.2 compares the two Cases' iterations; each T_F&B is the iteration model's (Kaplan FLOPs at the
    // achieved peak, MoC §6.2.4; 4 all-to-alls per MoE layer per step, MoE survey §6.3).
    value: slower.totalSeconds - faster.totalSeconds,
    unit: 's',
    formula: `ΔT = T_F&B(EP = ${ep}) − T_F&B(EP = ${CASE3.ep}), each T_F&B = T_compute + T_a2a`,
    inputs: [
      input('T_compute', 'compute time, the same 16 GPUs in both', slower.computeSeconds, 's'),
      input('BW_inter', `inter-node link (${slower.interLinkName})`, slower.interLinkGBps, 'GB/s'),
      input('BW_intra', `intra-node link (${slower.intraLinkName})`, slower.intraLinkGBps, 'GB/s'),
      input(`T_a2a,${ep}`, `EP = ${ep}: all-to-all time (${peerWords(slower)})`, slower.allToAllSeconds, 's'),
      input(`T_F&B,${ep}`, `EP = ${ep}: training iteration`, slower.totalSeconds, 's'),
      input(
        `T_a2a,${CASE3.ep}`,
        `EP = ${CASE3.ep}: all-to-all time (${peerWords(faster)})`,
        faster.allToAllSeconds,
        's',
      ),
      input(`T_F&B,${CASE3.ep}`, `EP = ${CASE3.ep}: training iteration`, faster.totalSeconds, 's'),
    ],
    source: `${SOURCE}; T_F&B from the iteration model (MoC §6.2.4 compute, MoE survey §6.3 all-to-alls)`,
    note:
      'The link opens the slower Case; the faster one is the same job with EP at Case3’s. Checkpointing is not ' +
      'counted: the claim is about training itself.',
  };
}

const ITERATION_TIME: CheckGroup = {
  title: 'MoC-System: iteration time with EP inside a node, GPT-350M-16E on A800 (Cases 2 and 3)',
  setup:
    'MoC Tables 1–2 on A800: Case2 and Case3 are the same 2 nodes of 8 GPUs with DP16; Case2 spreads each ' +
    'EP group over both nodes (EP16), Case3 keeps it in one (EP8). Compute runs at 312 TFLOPS × 20% (MoC §6.2.4) ' +
    'and the all-to-all over NVLink inside a node (the A800 datasheet’s 400 GB/s); the 256 × 2,048 batch of the DeepSpeed-MoE ' +
    'GPT-350M recipe, top-1 gating and 100 GbE per GPU between nodes at 80% (ScMoE, on 2 × 8 A800, ' +
    'reports Ethernet, no speed) are assumptions: the paper prints none of them.',
};

/** Why the model's difference is smaller than the paper's (a test recomputes every figure quoted). */
const SMALLER_THAN_PRINTED =
  'Both Cases run the same 256 × 2,048 batch on 16 GPUs, so compute (1.11 s) cancels and the model’s 0.14 s is ' +
  'all all-to-all: 48 per step (4 in each of 12 MoE layers). In Case2 each GPU sends 33.6 MB of every ' +
  'all-to-all to its 8 EP peers in the other node over the assumed 100 GbE at 80% (0.16 s a step), while ' +
  '29.4 MB go to its 7 peers in its own node over NVLink at the same time; in Case3 all 58.7 MB stay in the ' +
  'node (0.02 s). The difference grows with what the paper does not print: top-2 gating (a guess papers.md ' +
  'records as unverified) gives 0.29 s; recomputing activations, which the DeepSpeed-MoE recipe turns on (6 ' +
  'all-to-alls per MoE layer instead of 4), 0.22 s; both, 0.43 s; a 3.9 GB/s link between nodes (31 Gb/s) ' +
  'instead of 12.5, 0.5 s. Routing skew would widen it too: one expert per GPU (Case2) feels it fully, two per ' +
  'GPU (Case3) partly average it out. Gradient synchronisation, which the model leaves out, would narrow it: ' +
  'Case3 reduces each expert’s gradients with its replica in the other node, and Case2 has no expert replica ' +
  'to reduce. The paper prints neither its link nor its iteration times, so the model cannot tell which of ' +
  'these differs.';

/**
 * MoC §6.2.2 (papers.md §1.9): "Case3 trains 0.5 s per iteration faster than Case2, because EP=8 keeps all-to-all
 * inside a node." The model times both Cases and takes the difference.
 */
export const ITERATION_TIME_CHECKS: readonly PaperCheck[] = [
  {
    id: 'checkpoint.case3-vs-case2.iterationSaving',
    paper: PAPER,
    group: ITERATION_TIME,
    claim:
      'Case3 trains 0.5 s per iteration faster than Case2, because EP = 8 keeps the all-to-all inside a node',
    source: SOURCE,
    paperFigure: { kind: 'value', value: 0.5 },
    unit: 's',
    fragment: mocCaseFragment(caseOf('case2')),
    // ±15%, as the speedup checks on the same Cases allow their timing figures; wider than the ±10% (0.45–0.55 s)
    // a one-digit "0.5 s" stands for, so a figure that prints as 0.5 s is always a tick.
    tolerance: 0.15,
    gapExplanation: SMALLER_THAN_PRINTED,
    compute: case3IterationSaving,
  },
];

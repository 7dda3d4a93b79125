import { checkpointCosts } from '../checkpoint/costs';
import type { CheckpointCosts } from '../checkpoint/types';
import { input, type Metric } from '../metric';
import type { Scenario } from '../scenario/types';
import { GPT_350M_16E_CASES, mocCaseFragment } from './mocSetup';
import type { CheckGroup, PaperCheck } from './types';

const PAPER = 'MoC-System';
const SOURCE = 'MoC-System (Cai et al., ASPLOS 2025) §6.2.3, Fig. 12';

/** The Megatron-DeepSpeed baseline on the same job: rank 0 + EP group 0, every expert, blocking, straight to storage. */
function baselineOf(scenario: Scenario): Scenario {
  return {
    ...scenario,
    checkpoint: {
      ...scenario.checkpoint,
      sharding: 'baseline',
      pec: false,
      twoLevel: false,
      asynchronous: false,
    },
  };
}

interface Comparison {
  moc: CheckpointCosts;
  baseline: CheckpointCosts;
}

function compare(scenario: Scenario): Comparison {
  return {
    moc: checkpointCosts(scenario)(scenario.checkpoint.expertsPerCheckpoint),
    baseline: checkpointCosts(baselineOf(scenario))(scenario.checkpoint.expertsPerCheckpoint),
  };
}

function comparisonInputs({ moc, baseline }: Comparison) {
  return [
    input('T_F&B', 'training iteration', moc.iterationSeconds, 's'),
    input('T_write,base', 'baseline: bottleneck node’s blocking write', baseline.snapshotSeconds, 's'),
    input('O_save,base', 'baseline save overhead (blocking)', baseline.saveStallSeconds, 's'),
    input('T_snapshot,MoC', 'MoC-Async snapshot (GPU→CPU)', moc.snapshotSeconds, 's'),
    input('O_save,MoC', 'MoC-Async save overhead (Eq. 10)', moc.saveStallSeconds, 's'),
  ];
}

const REDUCTION_NOTE =
  'Eq. 10 prices a snapshot the next forward and backward pass hides at exactly zero, so a fully hidden MoC-Async snapshot reads as a 100% reduction.';

function saveReduction(scenario: Scenario): Metric {
  const comparison = compare(scenario);
  const { moc, baseline } = comparison;
  return {
    id: 'check.checkpoint.saveReduction',
    label: 'O_save reduction, MoC-Async vs blocking baseline',
    // 1 − O_save^MoC / O_save^base, with O_save from MoC Eq. 10 (asynchronous) and the blocking write (baseline).
    value: baseline.saveStallSeconds > 0 ? 1 - moc.saveStallSeconds / baseline.saveStallSeconds : 0,
    unit: 'fraction',
    formula: '1 − O_save,MoC / O_save,base',
    inputs: comparisonInputs(comparison),
    source: `${SOURCE}; O_save from Eq. 10`,
    note: REDUCTION_NOTE,
  };
}

function residualOverhead(scenario: Scenario): Metric {
  const comparison = compare(scenario);
  const { moc, baseline } = comparison;
  return {
    id: 'check.checkpoint.residualOverhead',
    label: 'MoC-Async O_save left, as a fraction of the baseline’s',
    // O_save^MoC / O_save^base (MoC Eq. 10 over the blocking write).
    value: baseline.saveStallSeconds > 0 ? moc.saveStallSeconds / baseline.saveStallSeconds : 0,
    unit: 'fraction',
    formula: 'O_save,MoC / O_save,base',
    inputs: comparisonInputs(comparison),
    source: `${SOURCE}; O_save from Eq. 10`,
    note: `${REDUCTION_NOTE} ${residualScale(comparison)}`,
  };
}

/** MoC §6.2.3: MoC-Async cuts O_save by 98.2–98.9% across Cases 1–3, as printed. */
const PAPER_REDUCTION_LOW = 0.982;
const PAPER_REDUCTION_HIGH = 0.989;

/** The residual the same sentence implies (100% − 98.9% to 100% − 98.2%): the residual check and the note's scale. */
const PAPER_RESIDUAL_LOW = 0.011;
const PAPER_RESIDUAL_HIGH = 0.018;

/** What the paper's residual would be in this scenario's seconds: the size of the effects Eq. 10 leaves out. */
function residualScale({ moc, baseline }: Comparison): string {
  const low = PAPER_RESIDUAL_LOW * baseline.saveStallSeconds;
  const high = PAPER_RESIDUAL_HIGH * baseline.saveStallSeconds;
  const percentOfIteration = (seconds: number) => ((100 * seconds) / moc.iterationSeconds).toFixed(1);
  return `For scale: the paper's 1.1–1.8% of this baseline would be ${low.toFixed(2)}–${high.toFixed(2)} s per checkpoint, ${percentOfIteration(low)}–${percentOfIteration(high)}% of an iteration, left by costs Eq. 10 does not price.`;
}

function iterationSpeedup(scenario: Scenario): Metric {
  const comparison = compare(scenario);
  const { moc, baseline } = comparison;
  return {
    id: 'check.checkpoint.iterationSpeedup',
    label: 'Iteration with checkpointing, baseline / MoC-Async',
    // MoC §6.2.3: an iteration with a checkpoint lasts T_F&B + O_save (Fig. 12: the time past the red line).
    value:
      (baseline.iterationSeconds + baseline.saveStallSeconds) / (moc.iterationSeconds + moc.saveStallSeconds),
    unit: '×',
    formula: '(T_F&B + O_save,base) / (T_F&B + O_save,MoC)',
    inputs: comparisonInputs(comparison),
    source: `${SOURCE}; O_save from Eq. 10`,
    note: 'The baseline writes every expert from rank 0 and EP group 0 and blocks: its GPU→host copy and its node’s storage write run in sequence.',
  };
}

const MOC_ASYNC_AGAINST_BASELINE: CheckGroup = {
  title: 'MoC-System: MoC-Async against the blocking baseline, GPT-350M-16E on A800 (Cases 1–3)',
  setup:
    'MoC Tables 1–2 on A800 (312 TFLOPS × 20% and a 1 GB/s snapshot: MoC §6.2.4). MoC-Async is PEC with ' +
    'K_snapshot = 4 and K_persist = 1 (Table 3), adaptive sharding and two-level asynchronous saving; the baseline ' +
    'saves every expert from rank 0 and EP group 0 and blocks. The batch of 256 × 2,048 (the DeepSpeed-MoE ' +
    'GPT-350M recipe), 100 GbE between nodes and 5 GB/s storage per node are assumptions: the paper prints none.',
};

/**
 * MoC-Async against the blocking Megatron-DeepSpeed baseline on GPT-350M-16E, Cases 1–3 (MoC §6.2.3). The paper
 * gives each figure as a range over the three cases without saying which case is which, so each case is compared
 * with the whole range: inside it meets the claim, outside it the gap is to the range's nearer end.
 */
export const CHECKPOINT_CHECKS: readonly PaperCheck[] = GPT_350M_16E_CASES.flatMap((setup) => {
  const fragment = mocCaseFragment(setup);
  return [
    {
      id: `checkpoint.moc-async.${setup.id}.saveReduction`,
      paper: PAPER,
      group: MOC_ASYNC_AGAINST_BASELINE,
      claim: `MoC-Async cuts the overhead of each checkpoint by 98.2–98.9% against the blocking baseline (${setup.name})`,
      source: SOURCE,
      paperFigure: { kind: 'range', low: PAPER_REDUCTION_LOW, high: PAPER_REDUCTION_HIGH },
      unit: 'fraction',
      fragment,
      // Close within 2% of the range's nearer end (a reduction reaches at most 100%, 1.1% above 98.9%).
      tolerance: 0.02,
      gapExplanation: `${REDUCTION_NOTE} The paper measured a small residual (see the residual check).`,
      compute: saveReduction,
    },
    {
      id: `checkpoint.moc-async.${setup.id}.iterationSpeedup`,
      paper: PAPER,
      group: MOC_ASYNC_AGAINST_BASELINE,
      claim: `An iteration with checkpointing runs 3.25–5.12× faster with MoC-Async than with the blocking baseline (${setup.name})`,
      source: SOURCE,
      paperFigure: { kind: 'range', low: 3.25, high: 5.12 },
      unit: '×',
      fragment,
      // The ±15% the issue allows the speedups, measured from the range's nearer end.
      tolerance: 0.15,
      gapExplanation: `The baseline's overhead depends on storage and host-link figures the paper does not print.`,
      compute: iterationSpeedup,
    },
    {
      id: `checkpoint.moc-async.${setup.id}.residualOverhead`,
      paper: PAPER,
      group: MOC_ASYNC_AGAINST_BASELINE,
      claim: `MoC-Async leaves 1.1–1.8% of the baseline's per-checkpoint overhead (${setup.name})`,
      source: SOURCE,
      paperFigure: { kind: 'range', low: PAPER_RESIDUAL_LOW, high: PAPER_RESIDUAL_HIGH },
      unit: 'fraction',
      fragment,
      // Close within 60% of the range's nearer end: a residual of the same order as the paper's.
      tolerance: 0.6,
      gapExplanation: `In the model MoC-Async's snapshot (K_snapshot = 4, adaptive sharding, 1 GB/s) is shorter than the iteration, and Eq. 10 prices a hidden snapshot at exactly zero, so nothing is left. The paper measured 1.1–1.8% of the baseline's overhead even so: costs Eq. 10 leaves out, such as starting the asynchronous copy, serialising into the snapshot buffer and contention with training for PCIe and memory, which the model does not represent.`,
      compute: residualOverhead,
    },
  ];
});

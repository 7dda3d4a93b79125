import {
  LLAMA3_FAILURES_SOURCE,
  LLAMA3_GPU_MTBF_HOURS,
  LLAMA3_GPUS,
  LLAMA3_SNAPSHOT_DAYS,
  LLAMA3_UNEXPECTED_INTERRUPTIONS,
} from '../catalog/failureRates';
import { formatInput } from '../format';
import { presetOptimizerBytesPerParam } from '../model/optimizerBytes';
import { DEFAULTS, sectionEnum, sectionFlag, sectionNumber } from './fieldBuilders';
import type { Field } from './fieldTypes';

const MOC = 'MoC-System (Cai et al., ASPLOS 2025)';

/** The Checkpointing lab's settings: what a checkpoint holds, who saves it, how, and faults over a long run. */
export const CHECKPOINT_FIELDS: readonly Field[] = [
  {
    ...sectionNumber(
      'checkpoint',
      'optimizerBytesPerParam',
      'Optimizer bytes per parameter',
      'number',
      { min: 0, max: 32, step: 1, unit: 'B' },
      'Optimizer state saved per parameter; the default follows the model. Mixed-precision Adam keeps an FP32 master copy and two FP32 moments (12 B); DeepSeek-V3 keeps the moments in BF16 (8 B).',
      `${MOC} Eq. 5 (B_o); the default from the model preset: DeepSeek-V3 report (arXiv 2412.19437) §3.3.3 for DeepSeek-V3, the mixed-precision Adam convention (Rajbhandari et al. 2020) for the others`,
    ),
    // Like the architecture, the default is the model preset's; only a value that differs from it is stored.
    default: presetOptimizerBytesPerParam(DEFAULTS),
    presetDefault: presetOptimizerBytesPerParam,
  },
  sectionEnum(
    'checkpoint',
    'sharding',
    'Who saves what',
    [
      { value: 'baseline', label: 'Baseline (rank 0 + EP group 0)' },
      { value: 'equal', label: 'Equal sharding' },
      { value: 'adaptive', label: 'Adaptive sharding' },
    ],
    'Baseline: rank 0 saves the non-expert part and EP group 0 the experts, so one rank is the bottleneck; sharding spreads the work.',
    `${MOC} §4, Eq. 8`,
  ),
  sectionFlag(
    'checkpoint',
    'pec',
    'Partial Experts Checkpointing',
    'Save only K of the N experts of each MoE layer per checkpoint; the non-expert part is always saved.',
    `${MOC} §3`,
  ),
  sectionNumber(
    'checkpoint',
    'expertsPerCheckpoint',
    'Experts per checkpoint K',
    'integer',
    { min: 1, max: 4096, step: 1, unit: 'experts' },
    'K_pec (with two-level saving, K_snapshot): experts of each MoE layer saved per checkpoint.',
    `${MOC} Eq. 6`,
  ),
  sectionNumber(
    'checkpoint',
    'expertsPersisted',
    'Experts persisted K_persist',
    'integer',
    { min: 1, max: 4096, step: 1, unit: 'experts' },
    'Of the snapshotted experts, how many are written on to storage; small keeps the persist time, and so the shortest interval, low.',
    `${MOC} §5`,
  ),
  sectionEnum(
    'checkpoint',
    'selection',
    'Which experts',
    [
      { value: 'sequential', label: 'Sequential (rotate, interleaved)' },
      { value: 'load-aware', label: 'Load-aware (most unsaved tokens)' },
    ],
    'Sequential rotates through the experts, interleaved across layers and EP ranks; load-aware saves those that processed the most tokens since their last save.',
    `${MOC} §3.2, Fig. 4`,
  ),
  sectionFlag(
    'checkpoint',
    'twoLevel',
    'Two-level saving',
    'Snapshot experts to CPU memory first, then persist a subset to storage. Healthy nodes recover from the newer snapshot, but the failed node restores its experts from storage, where only K_persist were written. At the same persist budget (single-level saving of K_persist experts) that helps; with few nodes, PLT can rise above that of single-level saving of all K.',
    `${MOC} §5`,
  ),
  sectionFlag(
    'checkpoint',
    'asynchronous',
    'Asynchronous saving',
    'The save overlaps the next forward and backward pass, and only what does not fit stalls training: with two-level saving the GPU→CPU snapshot, without it the whole write to storage (there is no CPU-memory stage).',
    `${MOC} Eq. 10`,
  ),
  sectionNumber(
    'checkpoint',
    'intervalIterations',
    'Checkpoint interval',
    'integer',
    { min: 1, max: 1000000, step: 1, unit: 'iterations' },
    'I_ckpt: iterations between checkpoints.',
    `${MOC} Eq. 3`,
  ),
  sectionEnum(
    'checkpoint',
    'failureScope',
    'Failure rate given',
    [
      { value: 'job', label: 'For the whole job' },
      { value: 'gpu', label: 'Per GPU (a bigger job fails more often)' },
    ],
    'For the whole job: one mean time between failures at any size, as MoC Eq. 11 gives λ, so a bigger job, finishing sooner, sees fewer faults. Per GPU: each GPU fails at random on its own and the job stops at the first, so a job of G = DP × TP GPUs fails G times as often: MTBF_job = MTBF_GPU / G.',
    `${MOC} Eq. 11 (constant failure rate λ); per GPU as Llama 3 reports its failures (arXiv 2407.21783, §3.3.4)`,
  ),
  sectionNumber(
    'checkpoint',
    'mtbfHours',
    'Mean time between failures',
    'number',
    { min: 0.05, max: 100000, step: 0.05, unit: 'hours' },
    'Failures of the whole job arrive at random with this mean (exponential, seeded).',
    `${MOC} Eq. 11 (constant failure rate λ)`,
  ),
  sectionNumber(
    'checkpoint',
    'gpuMtbfHours',
    'Mean time between failures of one GPU',
    'number',
    { min: 1, max: 10000000, step: 1, unit: 'hours' },
    `MTBF_GPU: each GPU fails at random with this mean (exponential, seeded); the job of G GPUs fails every MTBF_GPU / G. The default is Llama 3’s rate: ${LLAMA3_UNEXPECTED_INTERRUPTIONS} unexpected interruptions in ${LLAMA3_SNAPSHOT_DAYS} days on ${formatInput(LLAMA3_GPUS, '')} H100 GPUs, one per ${formatInput(Math.round(LLAMA3_GPU_MTBF_HOURS), '')} GPU-hours.`,
    `${LLAMA3_FAILURES_SOURCE}; ${MOC} Eq. 11 (constant failure rate λ)`,
  ),
  sectionNumber(
    'checkpoint',
    'restartMinutes',
    'Restart time',
    'number',
    { min: 0, max: 1440, step: 0.5, unit: 'minutes' },
    't_restart: time to detect a failure and restart the job. Reading the checkpoint back (T_load, at the storage and host-link bandwidths) is added to it to give O_restart.',
    `${MOC} Eq. 3`,
  ),
  sectionNumber(
    'checkpoint',
    'totalIterations',
    'Run length',
    'integer',
    { min: 1, max: 10000000, step: 1, unit: 'iterations' },
    'I_total: iterations in the simulated training run.',
    `${MOC} Eq. 3`,
  ),
  sectionFlag(
    'checkpoint',
    'dynamicK',
    'Dynamic K',
    'After a recovery, double K when the Proportion of Lost Tokens accumulated at the current K is above the threshold (MoC §5.3). With two-level saving the lab also doubles K_persist (derived, not in the paper): a failed node restores from storage, so doubling only K_snapshot would leave PLT where it was.',
    `${MOC} §5.3, Fig. 15(b) (K_pec doubles); doubling K_persist is derived`,
  ),
  sectionNumber(
    'checkpoint',
    'pltThreshold',
    'PLT threshold',
    'number',
    { min: 0, max: 1, step: 0.0025, unit: 'fraction' },
    'Accuracy matched the no-fault run while the Proportion of Lost Tokens stayed at or below 3.75%. Typed in percent; links store the fraction (3.75 % is 0.0375).',
    `${MOC} §3.3, Fig. 5`,
    // Read in percent, as PLT is shown everywhere else; stored as a fraction, as every metric is (metric.ts).
    { scale: 100, unit: '%' },
  ),
  sectionNumber(
    'checkpoint',
    'viewIteration',
    'Iteration shown',
    'integer',
    { min: 0, max: 10000000, step: 1, unit: 'iterations' },
    'The point of the run the timeline and the staleness grid show.',
    `${MOC} §3 (per-expert staleness)`,
  ),
];

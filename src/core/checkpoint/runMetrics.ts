import { formatInput, formatValue } from '../format';
import { input, type Metric } from '../metric';
import { K_PERSIST_DERIVED } from './runKChanges';
import type { CheckpointRun } from './runTypes';

const MOC = 'MoC-System (Cai et al., ASPLOS 2025)';

/** What the run's figures depend on in the settings: the PLT threshold, dynamic K and the interval. */
export interface RunMetricSettings {
  pltThreshold: number;
  dynamicK: boolean;
  intervalIterations: number;
}

/**
 * A run that stopped early: failures come faster than training reaches a complete checkpoint, so its figures describe
 * only the iterations it reached. Said next to the figures, not only in the notes, so a PLT of 0 is not read as a
 * healthy run.
 */
export function unfinishedRunWarning(run: CheckpointRun): string | undefined {
  if (run.completed) return undefined;
  return (
    `The run never finishes: failures arrive faster than training reaches a complete checkpoint, so it stopped at ` +
    `iteration ${formatInput(run.iterationsCompleted, '')} of ${formatInput(run.totalIterations, '')} after ` +
    `${formatInput(run.faults, 'faults')}. The figures below describe only that much; lengthen the MTBF, shorten ` +
    `the restart or checkpoint more often.`
  );
}

/**
 * The PLT figure's warning when it is above the threshold (MoC §3.3: accuracy may suffer), in words beside the
 * number. "Just above" when the two round to the same percentage, so "3.75% — above the 3.75% threshold" is not
 * read as a contradiction.
 */
export function pltFlag(plt: number, pltThreshold: number): string | undefined {
  if (!(plt > pltThreshold)) return undefined;
  const threshold = formatValue(pltThreshold, 'fraction');
  return `${formatValue(plt, 'fraction') === threshold ? 'just above' : 'above'} the ${threshold} threshold`;
}

/** Show-your-work metrics of a simulated run: what the faults cost and what they lost. */
export function runMetrics(run: CheckpointRun, settings: RunMetricSettings): Metric[] {
  const { pltThreshold } = settings;
  const time = run.time;
  const flag = pltFlag(run.plt, pltThreshold);
  return [
    {
      id: 'checkpoint.run.faults',
      label: 'Faults in the run',
      value: run.faults,
      unit: 'faults',
      formula: 'faults drawn with exponential gaps of mean MTBF over the run’s wall-clock time',
      inputs: [input('T_run', 'wall-clock length of the run', time.totalSeconds, 's')],
      source: `${MOC} Eq. 11 (constant failure rate λ)`,
    },
    {
      id: 'checkpoint.run.lostIterations',
      label: 'Iterations recomputed after rollbacks',
      value: run.lostIterations,
      unit: 'iterations',
      formula: 'Σ_faults (iteration reached − last complete checkpoint)',
      inputs: [
        input('N_fault', 'faults', run.faults, 'faults'),
        input('I_ckpt', 'checkpoint interval', settings.intervalIterations, 'iterations'),
        input('checkpoints', 'checkpoints begun', run.checkpoints, 'checkpoints'),
      ],
      source: `${MOC} Eq. 3–4 (O_lost, about I_ckpt/2 per fault)`,
      note: 'With two-level saving the last complete checkpoint is the last whose persist to storage finished, so slow storage adds to this.',
    },
    {
      id: 'checkpoint.run.plt',
      label: 'Proportion of Lost Tokens',
      value: run.plt,
      unit: 'fraction',
      formula: 'PLT = (1/N_moe) Σ_i Σ_j L_ij / (T_i · TopK_i) = Σ s · Δt / (N_moe · I_total)',
      inputs: [
        input(
          'Σ s·Δt',
          'over faults, layers and experts: the expert’s share of its layer’s tokens × iterations of updates lost',
          run.lostShareIterations,
          'iterations',
        ),
        input('faults', 'faults in the run', run.faults, 'faults'),
        input('N_moe', 'MoE layers', run.moeLayers, 'layers'),
        input('I_total', 'iterations in the run', run.totalIterations, 'iterations'),
        input('threshold', 'accuracy-safe threshold', pltThreshold, 'fraction'),
      ],
      source: `${MOC} Eq. 7; threshold 3.75% from §3.3, Fig. 5`,
      note: !run.completed
        ? 'The run stopped early (failures outpace progress): this is the PLT of the iterations it reached, not a healthy run.'
        : run.plt > pltThreshold
          ? `Above the ${formatValue(pltThreshold, 'fraction')} threshold: accuracy may suffer${settings.dynamicK ? ' (dynamic K raises K after recoveries)' : '; dynamic K is off'}.`
          : 'At or below the threshold.',
      ...(flag ? { flag } : {}),
    },
    {
      id: 'checkpoint.run.finalK',
      label: 'K at the end of the run',
      value: run.finalK,
      unit: 'experts',
      formula:
        'dynamic K: K ← min(N, 2K) after a recovery when the PLT accumulated at the current K > threshold; with two-level saving also K_persist ← min(K, 2·K_persist) (derived)',
      inputs: [
        input('N', 'experts per MoE layer', run.experts, 'experts'),
        input('K_persist', 'K_persist at the end of the run', run.finalKPersist, 'experts'),
      ],
      source: `${MOC} §5.3, Fig. 15(b) (K_pec doubles); doubling K_persist is the lab's own rule (derived)`,
      note: K_PERSIST_DERIVED,
    },
    {
      id: 'checkpoint.run.overheadFraction',
      label: 'Fault-tolerance overhead (simulated)',
      value: time.totalSeconds > 0 ? (time.totalSeconds - time.usefulSeconds) / time.usefulSeconds : 0,
      unit: 'fraction',
      formula: 'O_ckpt / T_useful = (O_save + O_restart + O_lost) / T_useful',
      inputs: [
        input('O_save', 'checkpoint stalls', time.stallSeconds, 's'),
        input('O_restart', 'restarts', time.restartSeconds, 's'),
        input('O_lost', 'recomputed work', time.lostSeconds, 's'),
        input(
          'T_useful',
          'useful iteration time: the iterations kept, I_total · T_F&B once the run completes',
          time.usefulSeconds,
          's',
        ),
      ],
      source: `${MOC} Eq. 3`,
    },
    {
      id: 'checkpoint.run.goodput',
      label: 'Goodput',
      value: time.goodput,
      unit: 'fraction',
      formula: 'goodput = T_useful / T_total',
      inputs: [
        input('T_useful', 'useful iteration time', time.usefulSeconds, 's'),
        input('T_total', 'wall-clock time', time.totalSeconds, 's'),
      ],
      source: 'Useful work over wall-clock time (MoEtion, arXiv 2412.15411, calls it ETTR)',
    },
  ];
}

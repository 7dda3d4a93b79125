import { input, type Metric } from '../metric';
import { formatInput, formatValue } from '../format';
import type { Scenario } from '../scenario/types';
import type { CheckpointCostBreakdown } from './costs';
import { firstOrderLimits } from './firstOrder';
import { jobMtbfHours } from './jobMtbf';
import { checkpointLatencySeconds, faultOverhead, type FaultOverhead } from './overhead';
import { MOC_SOURCE } from './sizes';

// What checkpointing costs over a run with faults (MoC Eq. 12–13), the optimal interval (Eq. 16) and the shortest one.

function overheadInputs(scenario: Scenario, detail: CheckpointCostBreakdown, overhead: FaultOverhead) {
  const settings = scenario.checkpoint;
  return [
    input('O_save', 'save stall per checkpoint', detail.costs.saveStallSeconds, 's'),
    input('I_total', 'iterations in the run', settings.totalIterations, 'iterations'),
    input('I_ckpt', 'checkpoint interval', settings.intervalIterations, 'iterations'),
    input('λ', 'faults per iteration (T_F&B / MTBF_job)', overhead.faultsPerIteration, '1/iteration'),
    input('O_restart', 'restart time', detail.costs.restartSeconds, 's'),
    input('T_F&B', 'iteration time', detail.costs.iterationSeconds, 's'),
  ];
}

/**
 * When snapshot and persist together outlast an interval, checkpoints overlap: each still completes, later than the
 * next one starts. MoC §6.2.3 reads this time ("I_ckpt from 2.3 to 1.2 in Case 2") as the shortest interval; with
 * triple buffering it is how long a checkpoint takes to serve recovery, not how often one can be taken.
 */
function latencyNote(detail: CheckpointCostBreakdown, settings: Scenario['checkpoint']): string {
  if (!settings.asynchronous || !settings.twoLevel) return '';
  const { costs } = detail;
  const latencyIterations = checkpointLatencySeconds(costs, settings.asynchronous) / costs.iterationSeconds;
  // Checkpoints are I_ckpt iterations and one stall apart in wall time (the run's pipeline, runSaves.ts).
  const apartIterations = settings.intervalIterations + costs.saveStallSeconds / costs.iterationSeconds;
  if (!(latencyIterations > apartIterations)) return '';
  const apart =
    costs.saveStallSeconds > 0
      ? `the ${formatValue(apartIterations, 'iterations')} between checkpoints (the interval and its stall)`
      : 'the interval';
  return ` Snapshot and persist together take ${formatValue(latencyIterations, 'iterations')}, longer than ${apart}: the next snapshot starts while this checkpoint is still being persisted (triple buffering, MoC §5.2), so each checkpoint serves recovery that long after its iteration.`;
}

/**
 * What bounds I_min, in words that hold for this setting (see minIntervalIterations): a snapshot that outlasts the
 * pass stalls the weight update until it finishes, so only the persist can bound the interval.
 */
function minIntervalNote(
  detail: CheckpointCostBreakdown,
  settings: Scenario['checkpoint'],
  overhead: FaultOverhead,
): string {
  const { costs } = detail;
  const minInterval = overhead.minIntervalIterations;
  if (settings.intervalIterations < minInterval)
    return `The checkpoint interval, ${settings.intervalIterations} iterations, is shorter: saving cannot keep up. ${
      settings.twoLevel
        ? 'A newer snapshot replaces the one waiting to be persisted, so persists skip checkpoints and a fault rolls back further than the interval suggests.'
        : 'Each checkpoint would queue behind the previous save.'
    } Lengthen the interval, save fewer experts or use faster storage.`;
  if (minInterval === 0)
    return settings.twoLevel
      ? 'The blocking snapshot finishes inside its stall, and the persist is no longer than the stall, so each persist is done before the next snapshot is: nothing bounds how often to checkpoint.'
      : 'The blocking save finishes inside its stall, so nothing bounds how often to checkpoint.';
  const stalled = settings.asynchronous && costs.saveStallSeconds > 0;
  if (stalled) {
    const persistIterations =
      Math.max(0, costs.persistSeconds - costs.saveStallSeconds) / costs.iterationSeconds;
    const stall = `The snapshot (${formatValue(costs.snapshotSeconds, 's')}) outlasts the forward and backward pass, so MoC Eq. 10 holds the weight update until it finishes (O_save = ${formatValue(costs.saveStallSeconds, 's')}): it never overlaps the next snapshot, and one iteration is always enough for it.`;
    if (!settings.twoLevel) return `${stall} A checkpoint every iteration keeps up.`;
    return persistIterations > 1
      ? `${stall} The persist has the interval plus the stall, I·T_F&B + O_save, to finish: it needs ${formatValue(persistIterations, 'iterations')} of the pass beyond the stall, and checkpoints closer than that would queue behind the previous persist.`
      : `${stall} The persist has the interval plus the stall, I·T_F&B + O_save, to finish, and fits: a checkpoint every iteration keeps up.`;
  }
  return minInterval < 1
    ? 'Below one iteration: each stage of saving finishes within an iteration (and the stall), so a checkpoint every iteration keeps up.'
    : 'Checkpoints closer than this would queue behind the previous save.';
}

/**
 * What I* is made of here: with a stall it balances the stalls against the work faults lose, raised to ⌈I_min⌉ if
 * that is longer. With no stall (O_save = 0) the Young/Daly term is 0 and I* is the shortest interval saving keeps up
 * with, often 1: said plainly, with what the model leaves unpriced, so "checkpoint every iteration" is read as the
 * model's optimum and not as advice. The residual is MoC §6.2.3's (O_save −98.2% to −98.9%), as the residual paper
 * check reads it; no constant is fitted to it.
 */
function optimalIntervalNote(detail: CheckpointCostBreakdown, overhead: FaultOverhead): string {
  const { costs } = detail;
  if (!(costs.saveStallSeconds > 0))
    return (
      `The snapshot hides completely (O_save = 0), so the Young/Daly term √(2·O_save/λ) is 0 and I* is the ` +
      `shortest interval saving keeps up with, ⌈I_min⌉ (at least 1): ` +
      `${formatValue(overhead.optimalIntervalIterations, 'iterations')}. Any interval of at least I_min is ` +
      `stall-free here, so the model’s optimum is the shortest. It is the shortest only because the model prices ` +
      `no per-checkpoint cost other than the stall: the storage traffic and wear of checkpointing that often are ` +
      `not priced, and the paper measured MoC-Async leaving 1.1–1.8% of the blocking baseline’s stall (MoC §6.2.3), ` +
      `a residual Eq. 10 prices at zero.`
    );
  const stallIterations = costs.saveStallSeconds / costs.iterationSeconds;
  const balance = `Each checkpoint stalls training by O_save = ${formatValue(stallIterations, 'iterations')}, so √(2·O_save/λ) = ${formatValue(overhead.youngDalyIterations, 'iterations')} balances the stalls against the work faults lose.`;
  return overhead.optimalIntervalIterations > overhead.youngDalyIterations
    ? `${balance} It is raised to ${formatValue(overhead.optimalIntervalIterations, 'iterations')}, the shortest whole interval saving keeps up with (⌈I_min⌉, at least 1).`
    : balance;
}

export function overheadMetrics(scenario: Scenario, detail: CheckpointCostBreakdown): Metric[] {
  const settings = scenario.checkpoint;
  const mtbfHours = jobMtbfHours(scenario);
  const overhead = faultOverhead(detail.costs, settings, mtbfHours);
  const inputs = overheadInputs(scenario, detail, overhead);
  const source = `${MOC_SOURCE}, Eq. 4, 11–13`;
  const belowMinimum = settings.intervalIterations < overhead.minIntervalIterations;
  const limits = firstOrderLimits(detail.costs, settings, settings.intervalIterations, mtbfHours);
  const outside = limits.flag ? { flag: limits.flag } : {};
  const optimalLimits = firstOrderLimits(
    detail.costs,
    settings,
    overhead.optimalIntervalIterations,
    mtbfHours,
  );
  return [
    {
      id: 'checkpoint.overheadSeconds',
      label: 'Fault-tolerance overhead O_ckpt',
      value: overhead.overheadSeconds,
      unit: 's',
      formula: 'O_ckpt = O_save · I_total / I_ckpt + λ · I_total · (O_restart + I_ckpt/2 · T_F&B)',
      inputs,
      source,
      note: [
        `Saving ${formatValue(overhead.saveSeconds, 's')}, restarts ${formatValue(overhead.restartSeconds, 's')}, lost work ${formatValue(overhead.lostSeconds, 's')} over ${formatInput(overhead.expectedFaults, '')} expected faults.`,
        limits.note,
      ]
        .filter((part) => part !== undefined)
        .join(' '),
      ...outside,
    },
    {
      id: 'checkpoint.overheadFraction',
      label: 'Overhead / run length',
      value: overhead.overheadFraction,
      unit: 'fraction',
      formula: 'O_ckpt / (I_total · T_F&B)',
      inputs: [...inputs, input('O_ckpt', 'fault-tolerance overhead', overhead.overheadSeconds, 's')],
      source,
      ...(limits.note ? { note: limits.note } : {}),
      ...outside,
    },
    {
      id: 'checkpoint.optimalInterval',
      label: 'Best interval I*',
      value: overhead.optimalIntervalIterations,
      unit: 'iterations',
      formula: 'I* = max(√(2 · O_save / λ), ⌈I_min⌉, 1), O_save in iterations',
      inputs: [
        input(
          'O_save',
          'save stall per checkpoint',
          detail.costs.saveStallSeconds / detail.costs.iterationSeconds,
          'iterations',
        ),
        input('λ', 'faults per iteration', overhead.faultsPerIteration, '1/iteration'),
        input('√(2·O_save/λ)', 'Young/Daly optimum', overhead.youngDalyIterations, 'iterations'),
        input('I_min', 'shortest sustainable interval', overhead.minIntervalIterations, 'iterations'),
      ],
      source: `Derived from ${MOC_SOURCE} Eq. 16 (minimise O_save/I + λ·I/2); the paper does not state it (papers.md §1.3)`,
      note: [optimalIntervalNote(detail, overhead), optimalLimits.note]
        .filter((part) => part !== undefined)
        .join(' '),
      ...(optimalLimits.flag ? { flag: optimalLimits.flag } : {}),
    },
    {
      id: 'checkpoint.minInterval',
      label: 'Shortest interval I_min',
      value: overhead.minIntervalIterations,
      unit: 'iterations',
      formula: settings.asynchronous
        ? 'I_min = max(min(T_snapshot, T_F&B), T_persist − O_save) / T_F&B (snapshot n + 1 overlaps persist n, which has I·T_F&B + O_save)'
        : 'I_min = max(0, T_persist − O_save) / T_F&B (the blocking snapshot is done in the stall, O_save = T_snapshot)',
      inputs: [
        input('T_snapshot', 'snapshot time', detail.costs.snapshotSeconds, 's'),
        input('T_persist', 'persist time', detail.costs.persistSeconds, 's'),
        input('O_save', 'save stall per checkpoint', detail.costs.saveStallSeconds, 's'),
        input('T_F&B', 'iteration time', detail.costs.iterationSeconds, 's'),
      ],
      source: `${MOC_SOURCE}, Eq. 10 (the stall), §5.2 (triple buffering) and §5.3 (persist bounds I_ckpt)`,
      ...(overhead.minIntervalIterations === 0 ? { shown: 'no limit' } : {}),
      ...(belowMinimum ? { flag: `longer than I_ckpt = ${settings.intervalIterations}` } : {}),
      note: `${minIntervalNote(detail, settings, overhead)}${latencyNote(detail, settings)}`,
    },
  ];
}

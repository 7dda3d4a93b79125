import type { CheckpointCosts, CheckpointSettings } from './types';

/** The analytic fault-tolerance overhead of a run (MoC Eq. 3–4, 11–13), in seconds and iterations. */
export interface FaultOverhead {
  /** λ: expected faults per iteration (constant failure rate, MoC Eq. 11). */
  faultsPerIteration: number;
  /** N_fault ≈ λ·I_total (MoC Eq. 11). */
  expectedFaults: number;
  /** O_save · I_total / I_ckpt, seconds. */
  saveSeconds: number;
  /** N_fault · O_restart, seconds. */
  restartSeconds: number;
  /** N_fault · I_ckpt/2 iterations of lost work, seconds. */
  lostSeconds: number;
  /** O_ckpt (MoC Eq. 12/13), seconds. */
  overheadSeconds: number;
  /** O_ckpt / (I_total · T_F&B): the run's fault-tolerance overhead relative to its fault-free length. */
  overheadFraction: number;
  /** √(2·O_save/λ) in iterations (derived, not in the paper); 0 when saving stalls nothing. */
  youngDalyIterations: number;
  /** Shortest interval the save pipeline sustains, iterations (may be fractional, as MoC §6.2.3's 1.2). */
  minIntervalIterations: number;
  /** The interval to use: I* raised to the shortest sustainable one, and at least 1 iteration. */
  optimalIntervalIterations: number;
}

/** λ per iteration: the job's MTBF in hours (jobMtbf.ts) turned into faults per T_F&B-long iteration (MoC Eq. 11). */
export function faultsPerIteration(iterationSeconds: number, jobMtbfHours: number): number {
  // Exponential faults at rate 1/MTBF; one iteration lasts T_F&B.
  return iterationSeconds / (jobMtbfHours * 3600);
}

/**
 * Shortest checkpoint interval in iterations that saving keeps up with, as the event-driven run (run.ts, runSaves.ts)
 * pipelines it. A checkpoint taken at wall time W stalls training by O_save, so the next one is taken at
 * W + O_save + I·T_F&B, and each stage has that long before the next checkpoint's same stage:
 * - the snapshot must finish before the next one starts: T_snapshot ≤ I·T_F&B + O_save. Asynchronous, Eq. 10's
 *   O_save = max(0, T_snapshot − T_F&B) makes T_snapshot − O_save = min(T_snapshot, T_F&B): a snapshot longer than
 *   the pass holds the weight update until it finishes, so it never overlaps the next one and one iteration is
 *   always enough. Blocking, the snapshot is the stall (O_save = T_snapshot) and bounds nothing;
 * - with triple buffering (MoC §5.2) checkpoint n + 1's snapshot overlaps checkpoint n's persist, and persists keep
 *   up only if each finishes in the time between two snapshots; slower, a backlog builds until a newer snapshot
 *   replaces the one waiting and persists skip checkpoints (MoC §5.3: the persist bounds I_ckpt):
 *   T_persist ≤ I·T_F&B + O_save.
 * Single-level saving has no persist (T_persist = 0). The result may be fractional (as MoC §6.2.3's 1.2); a run's
 * interval is a whole number of iterations, so ⌈I_min⌉ (at least 1) is the shortest it can use.
 */
export function minIntervalIterations(costs: CheckpointCosts, asynchronous: boolean): number {
  const stall = costs.saveStallSeconds;
  // MoC Eq. 10: T_snapshot − O_save = min(T_snapshot, T_F&B) asynchronous, written so that a stalled snapshot's bound
  // is exactly one iteration (no rounding from the subtraction); a blocking snapshot is over when training resumes.
  const snapshotBusySeconds = asynchronous
    ? Math.min(costs.snapshotSeconds, costs.iterationSeconds)
    : Math.max(0, costs.snapshotSeconds - stall);
  // MoC §5.2–5.3: the persist has the interval's iterations plus the stall to finish in, T_persist ≤ I·T_F&B + O_save.
  const persistBusySeconds = Math.max(0, costs.persistSeconds - stall);
  return Math.max(snapshotBusySeconds, persistBusySeconds) / costs.iterationSeconds;
}

/** Seconds from a checkpoint's iteration until it can serve recovery: snapshot, then persist (MoC §5.1, §6.2.3). */
export function checkpointLatencySeconds(costs: CheckpointCosts, asynchronous: boolean): number {
  return (asynchronous ? costs.snapshotSeconds : 0) + costs.persistSeconds;
}

/**
 * I* = √(2·O_save/λ) (both in iterations): the minimum of O_save/I + λ·I/2, the per-iteration cost of MoC Eq. 16.
 * Derived (Young/Daly style); the paper does not state it (papers.md §1.3).
 */
export function youngDalyIterations(
  saveStallSeconds: number,
  iterationSeconds: number,
  lambda: number,
): number {
  // d/dI (O_save/I + λI/2) = 0 ⇒ I* = √(2·O_save/λ) (derived from MoC Eq. 16).
  return Math.sqrt((2 * (saveStallSeconds / iterationSeconds)) / lambda);
}

/**
 * The run's expected fault-tolerance overhead at the given settings, with faults every `jobMtbfHours` on average
 * (the job's MTBF, jobMtbf.ts: the settings' own MTBF fields are read there, never here, so every fault model agrees).
 */
export function faultOverhead(
  costs: CheckpointCosts,
  settings: Pick<CheckpointSettings, 'intervalIterations' | 'totalIterations' | 'asynchronous'>,
  jobMtbfHours: number,
): FaultOverhead {
  const iteration = costs.iterationSeconds;
  const lambda = faultsPerIteration(iteration, jobMtbfHours);
  const total = settings.totalIterations;
  const interval = settings.intervalIterations;
  // MoC Eq. 11: N_fault ≈ λ·I_total.
  const expectedFaults = lambda * total;
  // MoC Eq. 12/13, first term: O_save · I_total / I_ckpt.
  const saveSeconds = (costs.saveStallSeconds * total) / interval;
  const restartSeconds = expectedFaults * costs.restartSeconds;
  // MoC Eq. 4: a fault loses I_ckpt/2 iterations on average.
  const lostSeconds = expectedFaults * (interval / 2) * iteration;
  const overheadSeconds = saveSeconds + restartSeconds + lostSeconds;
  const youngDaly = youngDalyIterations(costs.saveStallSeconds, iteration, lambda);
  const minInterval = minIntervalIterations(costs, settings.asynchronous);
  return {
    faultsPerIteration: lambda,
    expectedFaults,
    saveSeconds,
    restartSeconds,
    lostSeconds,
    overheadSeconds,
    overheadFraction: overheadSeconds / (total * iteration),
    youngDalyIterations: youngDaly,
    minIntervalIterations: minInterval,
    optimalIntervalIterations: Math.max(1, youngDaly, Math.ceil(minInterval)),
  };
}

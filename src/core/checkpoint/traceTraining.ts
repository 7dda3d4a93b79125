import type { CheckpointRun } from './runTypes';
import type { CostsForK } from './types';

/** A point where training (re)starts: after a checkpoint's stall, after a restart, or at the start of the run. */
export interface TrainingResume {
  seconds: number;
  iteration: number;
}

/** One stretch of the training lane, ready to become a slice. */
export interface TrainingStretch {
  fromSeconds: number;
  toSeconds: number;
  /** Iterations completed at the start and at the end of the stretch. */
  fromIteration: number;
  toIteration: number;
  /**
   * True when the stretch is plain training inside one checkpoint interval, as the run's event log proves it: the
   * iterations and the time agree with T_F&B and no checkpoint falls inside. False when the log left events out
   * (checkpoints far from the iteration shown, faults past the 500th), so the stretch may hold unlisted stalls,
   * restarts and rollbacks: it is then shown as one span, not as training.
   */
  itemised: boolean;
  /** K in force during the stretch. */
  k: number;
}

/** Relative slack for comparing wall-clock sums the simulation and this reconstruction add up separately. */
const RELATIVE_SLACK = 1e-9;

export function nearlyEqual(a: number, b: number): boolean {
  return Math.abs(a - b) <= RELATIVE_SLACK * Math.max(1, Math.abs(a), Math.abs(b));
}

/** K and K_persist in force at `seconds`: dynamic K changes them when a restart ends (MoC §5.3). */
export function kInForceAt(run: CheckpointRun, seconds: number): { k: number; kPersist: number } {
  let current = run.kSeries[0] ?? { k: run.grid.k, kPersist: run.grid.kPersist };
  for (const point of run.kSeries) {
    if (point.seconds > seconds && !nearlyEqual(point.seconds, seconds)) break;
    current = point;
  }
  return { k: current.k, kPersist: current.kPersist };
}

/** What the training lane is rebuilt from: the run, its interval as the scenario gives it, and its costs. */
export interface TrainingLaneContext {
  run: CheckpointRun;
  intervalIterations: number;
  costsFor: CostsForK;
}

/**
 * One stretch of the training lane. The simulation (run.ts) jumps from checkpoint to checkpoint and from fault to
 * fault without recording the iterations between, so a stretch is read off its two ends: it starts where training
 * resumed (`from`) and ends at an event at `toSeconds` with `toIteration` completed: a checkpoint or the end of the
 * run (`endsInFault` false), or a fault, which may cut an iteration short. Each stretch covers at most one
 * checkpoint interval, so the lane costs one slice per checkpoint or fault, never one per iteration. Null when no
 * training happened (a fault during a checkpoint's stall or during a restart).
 */
export function trainingStretch(
  context: TrainingLaneContext,
  from: TrainingResume,
  toSeconds: number,
  toIteration: number,
  endsInFault: boolean,
): TrainingStretch | null {
  const seconds = toSeconds - from.seconds;
  const iterations = toIteration - from.iteration;
  if (seconds < 0) return null;
  const elapsed = seconds > 0 && !nearlyEqual(toSeconds, from.seconds);
  if (iterations === 0 && !elapsed) return null;
  const { run, costsFor } = context;
  const { k, kPersist } = kInForceAt(run, from.seconds);
  const iterationSeconds = costsFor(k, kPersist).iterationSeconds;
  // As run.ts reads them: training heads for the next multiple of the interval, or the end of the run.
  const interval = Math.max(1, Math.floor(context.intervalIterations));
  const target = Math.min(run.totalIterations, (Math.floor(from.iteration / interval) + 1) * interval);
  const work = iterations * iterationSeconds;
  const atLeast = (a: number, b: number) => a >= b || nearlyEqual(a, b);
  const itemised = endsInFault
    ? // A fault ends the stretch after `iterations` whole iterations and part of the next.
      iterations >= 0 &&
      toIteration < target &&
      atLeast(seconds, work) &&
      atLeast(work + iterationSeconds, seconds)
    : toIteration === target && nearlyEqual(work, seconds);
  return { fromSeconds: from.seconds, toSeconds, fromIteration: from.iteration, toIteration, itemised, k };
}

/** What the event-driven fault simulation (run.ts) returns: a plain, serialisable-in-spirit object. */

export type RunEventKind = 'checkpoint' | 'snapshot' | 'persist' | 'fault' | 'restart' | 'rollback';

/**
 * One bar of the timeline. Times are wall-clock seconds from the start of the run; iterations are training
 * iterations (after a rollback they repeat).
 * - checkpoint: the save decision at the end of iteration `startIteration`; `durationSeconds` is its stall O_save.
 * - snapshot: GPU→CPU copy (two-level) or the write to storage (single-level), from the end of the iteration.
 * - persist: CPU→storage write of the K_persist experts (two-level only); `startIteration` is the checkpoint's.
 * - fault: a node fails at `startSeconds`; `startIteration` is the last iteration completed.
 * - restart: O_restart (shorter when another fault interrupts it).
 * - rollback: training goes back from `startIteration` to the last complete checkpoint `endIteration`.
 */
export interface RunEvent {
  kind: RunEventKind;
  startIteration: number;
  endIteration: number;
  startSeconds: number;
  durationSeconds: number;
  /** The failed node (fault, restart, rollback). */
  node?: number;
  /** Experts per MoE layer saved by this checkpoint (checkpoint, snapshot) or persisted (persist). */
  k?: number;
  /** A checkpoint whose snapshot a fault interrupted, or a persist a fault aborted or a newer one superseded. */
  discarded?: boolean;
}

export interface PltPoint {
  /** Iteration reached when the point was taken (a fault's last completed iteration, or the end of the run). */
  iteration: number;
  seconds: number;
  /** Accumulated Proportion of Lost Tokens so far (MoC Eq. 7, normalised by the whole run's tokens). */
  plt: number;
}

export interface KPoint {
  iteration: number;
  seconds: number;
  /** K (K_snapshot with two-level saving) from this point on. */
  k: number;
  /** K_persist from this point on (equal to K without two-level saving). */
  kPersist: number;
}

/** The per-expert save state at `viewIteration`, row-major MoE layer × expert. */
export interface ExpertSaveGrid {
  viewIteration: number;
  layers: number;
  experts: number;
  /** The iteration whose state each expert's in-memory snapshot holds (single-level: its stored copy). */
  lastSaved: Int32Array;
  /** The iteration whose state each expert's persisted copy holds (single-level: the same as lastSaved). */
  lastPersisted: Int32Array;
  /** viewIteration − lastSaved: iterations of updates a healthy node would lose if restored there. */
  staleness: Int32Array;
  /** viewIteration − lastPersisted: what a failed node would lose. */
  persistStaleness: Int32Array;
  /** K in force at viewIteration. */
  k: number;
  /** K_persist in force at viewIteration (K without two-level saving). */
  kPersist: number;
}

export interface RunTimeAccounting {
  /** Iteration time of the iterations that survive: I_total · T_F&B (per K in force). */
  usefulSeconds: number;
  /** Checkpoint stalls O_save (every checkpoint begun, including ones later rolled back). */
  stallSeconds: number;
  /** O_restart, summed (a restart another fault interrupts counts up to that fault). */
  restartSeconds: number;
  /** Iteration time spent on work a rollback threw away (whole and partial iterations), recomputed afterwards. */
  lostSeconds: number;
  /** useful + stall + restart + lost: the run's wall-clock length. */
  totalSeconds: number;
  /** useful / total, in (0, 1] (0 only when a run stopped early before completing any iteration). */
  goodput: number;
}

export interface CheckpointRun {
  /**
   * False when the run stopped before totalIterations because failures outpace progress: 1,000 faults in a row rolled
   * back to the same checkpoint, or 20,000 faults in all.
   */
  completed: boolean;
  iterationsCompleted: number;
  totalIterations: number;
  moeLayers: number;
  experts: number;
  nodes: number;
  events: RunEvent[];
  /** Wall-clock second of every fault of the run, in order: all of them, where `events` keeps the first 500. */
  faultSeconds: number[];
  /** Events dropped to keep the timeline short, and why. */
  omittedEvents: number;
  eventsNote: string;
  grid: ExpertSaveGrid;
  pltSeries: PltPoint[];
  /** Final PLT (MoC Eq. 7). */
  plt: number;
  /**
   * PLT's numerator: Σ_faults Σ_layers Σ_experts s_ℓi · (t_c − t_copy), each expert's share of its layer's routed
   * tokens times the iterations of updates its restored copy lacked. PLT = this / (MoE layers · iterations in the run).
   */
  lostShareIterations: number;
  kSeries: KPoint[];
  /** K (K_snapshot) and K_persist at the end of the run. */
  finalK: number;
  finalKPersist: number;
  faults: number;
  /** Iterations rolled back and recomputed (whole iterations). */
  lostIterations: number;
  /** Checkpoints begun (including ones a fault interrupted and ones later rolled back). */
  checkpoints: number;
  /** Checkpoints whose snapshot a fault interrupted (not usable for recovery). */
  discardedCheckpoints: number;
  /** Two-level: persists that finished, and persists superseded by a newer snapshot or aborted by a fault. */
  persistsCompleted: number;
  persistsDropped: number;
  time: RunTimeAccounting;
  /** MoC Eq. 3 measured: O_save·(I_total/I_ckpt) + Σ (O_restart + O_lost), in iterations of T_F&B and in seconds. */
  overhead: { iterations: number; seconds: number };
  /** Plain-language statements of the rules this run follows (recovery, persist, PLT), for the panel's notes. */
  notes: string[];
}

/** A scheduled fault, instead of the seeded exponential process (for tests and "what if" injections). */
export interface ScheduledFault {
  /** Wall-clock seconds from the start of the run. */
  seconds: number;
  /** The failed node, taken modulo the job's node count. */
  node: number;
}

export interface SimulateRunOptions {
  /** Replaces the seeded exponential fault process by these faults (any order; sorted by time). */
  faults?: readonly ScheduledFault[];
  /** A user-supplied per-layer expert-load matrix, used when the routing profile is 'custom'. */
  customLoads?: readonly (readonly number[])[] | null;
}

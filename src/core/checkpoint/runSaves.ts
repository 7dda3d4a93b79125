import { assignSet, listSet, persistSelection, type ExpertSet } from './runSelection';
import type { RunEvent } from './runTypes';

/** Keeps an event in the timeline (returning it, so it can be marked later) or counts it as omitted (null). */
export type EventRecorder = (event: RunEvent) => RunEvent | null;

interface SnapshotInFlight {
  iteration: number;
  startSeconds: number;
  doneSeconds: number;
  set: ExpertSet;
  pointerAfter: number;
  kPersist: number;
  persistSeconds: number;
  event: RunEvent | null;
}

interface PersistQueued {
  iteration: number;
  /** The sequential-selection pointer after this checkpoint (restored on a rollback to it). */
  pointerAfter: number;
  set: ExpertSet;
  /** K_persist in force when the checkpoint was taken (dynamic K may raise it). */
  kPersist: number;
  persistSeconds: number;
}

interface PersistInFlight {
  iteration: number;
  pointerAfter: number;
  startSeconds: number;
  doneSeconds: number;
  set: ExpertSet;
  event: RunEvent | null;
}

export interface SavePipelineConfig {
  layers: number;
  experts: number;
  twoLevel: boolean;
  /** Row-major layer × expert load shares: the PLT weights, and the load-aware persist choice. */
  shares: Float64Array;
  loadAware: boolean;
  record: EventRecorder;
}

/**
 * The saved copies of every expert and the two-level save pipeline (MoC §5), event by event:
 * - A checkpoint's snapshot (GPU→CPU; single-level: the write to storage) finishes `snapshotSeconds` after the end
 *   of its iteration. Single-level, the checkpoint is then complete and usable for recovery.
 * - Two-level, a checkpoint is usable for recovery once its persist has finished: a failed node reads its non-expert
 *   state from storage (MoC §5.1), and every node must roll back to that same iteration. A snapshot held only in
 *   CPU memory cannot serve as the rollback point, however new, as the failed node's share of it is gone.
 * - Two-level: when its snapshot is done, the checkpoint's persist (CPU→storage, `persistSeconds`) starts if the
 *   storage channel is free. If a persist is still writing, it waits as the one queued persist; a newer snapshot
 *   replaces a queued one (triple buffering: one buffer being snapshotted, one being persisted, one waiting), so a
 *   slow persist skips checkpoints rather than falling ever further behind. A persist writes the K_persist experts of
 *   its snapshot whose persisted copies are oldest (sequential) or hold the most unpersisted tokens (load-aware).
 * - A fault drops the snapshot in progress, the persist in progress and the queued one.
 * Iteration labels: snapIter/persistIter give the iteration whose state each copy holds. After a recovery every
 * expert's current state equals the copy it was restored from, so that copy is relabelled to the rollback iteration
 * t_c; a healthy node's persisted copy keeps its lag behind the snapshot it was restored from.
 */
export class SavePipeline {
  readonly snapIter: Int32Array;
  readonly persistIter: Int32Array;
  /**
   * t_c: the last checkpoint recovery rolls back to, the last whose save finished (single-level) or whose persist did
   * (two-level). 0: the initial state, every expert saved.
   */
  lastComplete = 0;
  /** The sequential-selection pointer after that checkpoint (restored on rollback). */
  lastCompletePointer = 0;
  persistsCompleted = 0;
  persistsDropped = 0;
  discardedCheckpoints = 0;
  private pending: SnapshotInFlight | null = null;
  private queued: PersistQueued | null = null;
  private inFlight: PersistInFlight | null = null;
  private readonly pool: Int32Array[] = [];
  private readonly scores: Float64Array;
  private readonly scratch: Float64Array;
  private readonly chosen: Int32Array;

  constructor(private readonly config: SavePipelineConfig) {
    const cells = config.layers * config.experts;
    this.snapIter = new Int32Array(cells);
    this.persistIter = new Int32Array(cells);
    this.scores = new Float64Array(config.experts);
    this.scratch = new Float64Array(config.experts);
    this.chosen = new Int32Array(config.experts);
  }

  /** A buffer for one listed selection (layers × up to N experts), reused once the checkpoint is done with. */
  borrow(): Int32Array {
    return this.pool.pop() ?? new Int32Array(this.config.layers * this.config.experts);
  }

  private release(set: ExpertSet): void {
    if (set.list) this.pool.push(set.list);
  }

  /** Starts checkpoint `iteration`'s snapshot of `set` at `startSeconds`. Takes ownership of `set`'s list. */
  takeCheckpoint(args: {
    iteration: number;
    startSeconds: number;
    set: ExpertSet;
    pointerAfter: number;
    /** K_persist for this checkpoint (capped at its K). */
    kPersist: number;
    snapshotSeconds: number;
    persistSeconds: number;
  }): void {
    this.flushTo(args.startSeconds);
    if (this.pending) {
      // The previous snapshot outlasted a whole interval (only with inconsistent costs): it ends now at the latest.
      this.pending.doneSeconds = args.startSeconds;
      if (this.pending.event)
        this.pending.event.durationSeconds = args.startSeconds - this.pending.startSeconds;
      this.flushTo(args.startSeconds);
    }
    const event = this.config.record({
      kind: 'snapshot',
      startIteration: args.iteration,
      endIteration: args.iteration,
      startSeconds: args.startSeconds,
      durationSeconds: args.snapshotSeconds,
      k: args.set.k,
    });
    this.pending = {
      iteration: args.iteration,
      startSeconds: args.startSeconds,
      doneSeconds: args.startSeconds + args.snapshotSeconds,
      set: args.set,
      pointerAfter: args.pointerAfter,
      kPersist: args.kPersist,
      persistSeconds: args.persistSeconds,
      event,
    };
  }

  /** Completes every snapshot and persist that has finished by `time`, in time order. */
  flushTo(time: number): void {
    const pending = this.pending;
    if (pending && pending.doneSeconds <= time) {
      this.advancePersist(pending.doneSeconds);
      this.completeSnapshot(pending);
    }
    this.advancePersist(time);
  }

  /** A fault at `time`: what finished before it counts, the rest is dropped. */
  abortAt(time: number): void {
    this.flushTo(time);
    if (this.pending) {
      const { event, startSeconds, set } = this.pending;
      if (event) {
        event.discarded = true;
        event.durationSeconds = time - startSeconds;
      }
      this.discardedCheckpoints += 1;
      this.release(set);
      this.pending = null;
    }
    if (this.inFlight) {
      const { event, startSeconds, set } = this.inFlight;
      if (event) {
        event.discarded = true;
        event.durationSeconds = time - startSeconds;
      }
      this.persistsDropped += 1;
      this.release(set);
      this.inFlight = null;
    }
    if (this.queued) {
      this.persistsDropped += 1;
      this.release(this.queued.set);
      this.queued = null;
    }
  }

  /**
   * Recovery to t_c after the node holding `failed` experts went down: healthy nodes restore each expert from its
   * in-memory snapshot, the failed node from persisted storage (single-level: both are the stored copy). Returns
   * Σ_layers Σ_experts share·(t_c − t_copy): the layers' lost tokens L_ij / (tokens per iteration · TopK), summed.
   * A snapshot newer than t_c (taken after the last finished persist) loses nothing: its updates are made again as
   * the iterations after t_c are recomputed, so it counts as restored at t_c.
   */
  restore(tc: number, failed: Uint8Array): number {
    const { layers, experts, shares } = this.config;
    const snap = this.snapIter;
    const persisted = this.persistIter;
    let lost = 0;
    for (let layer = 0; layer < layers; layer += 1) {
      const base = layer * experts;
      for (let expert = 0; expert < experts; expert += 1) {
        const index = base + expert;
        const share = shares[index] ?? 0;
        if (failed[expert]) {
          lost += share * (tc - (persisted[index] ?? 0));
          persisted[index] = tc;
        } else {
          const saved = Math.min(snap[index] ?? 0, tc);
          lost += share * (tc - saved);
          persisted[index] = (persisted[index] ?? 0) + (tc - saved);
        }
        snap[index] = tc;
      }
    }
    return lost;
  }

  private completeSnapshot(pending: SnapshotInFlight): void {
    const { layers, experts, twoLevel } = this.config;
    const { iteration, set } = pending;
    this.pending = null;
    assignSet(this.snapIter, set, layers, experts, iteration);
    if (!twoLevel) assignSet(this.persistIter, set, layers, experts, iteration);
    if (!twoLevel) {
      this.lastComplete = iteration;
      this.lastCompletePointer = pending.pointerAfter;
      this.release(set);
      return;
    }
    const offer: PersistQueued = {
      iteration,
      pointerAfter: pending.pointerAfter,
      set,
      kPersist: pending.kPersist,
      persistSeconds: pending.persistSeconds,
    };
    if (this.inFlight === null) {
      this.startPersist(offer, pending.doneSeconds);
    } else {
      if (this.queued) {
        this.persistsDropped += 1;
        this.release(this.queued.set);
      }
      this.queued = offer;
    }
  }

  private advancePersist(time: number): void {
    while (this.inFlight && this.inFlight.doneSeconds <= time) {
      const done = this.inFlight;
      assignSet(this.persistIter, done.set, this.config.layers, this.config.experts, done.iteration);
      this.lastComplete = done.iteration;
      this.lastCompletePointer = done.pointerAfter;
      this.persistsCompleted += 1;
      this.release(done.set);
      this.inFlight = null;
      const next = this.queued;
      if (next) {
        this.queued = null;
        this.startPersist(next, done.doneSeconds);
      }
    }
  }

  /** Chooses the K_persist experts of the snapshot's K and starts writing them. Takes over the snapshot's set. */
  private startPersist(offer: PersistQueued, startSeconds: number): void {
    const { layers, experts, shares, loadAware } = this.config;
    const source = offer.set;
    const k = source.k;
    const kPersist = Math.min(offer.kPersist, k);
    let chosenSet: ExpertSet = source;
    if (kPersist < k) {
      const out = this.borrow();
      persistSelection({
        source,
        persisted: this.persistIter,
        shares,
        loadAware,
        layers,
        experts,
        kPersist,
        iteration: offer.iteration,
        heap: this.scores,
        positions: this.chosen,
        scratch: this.scratch,
        out,
      });
      this.release(source);
      chosenSet = listSet(kPersist, out);
    }
    const event = this.config.record({
      kind: 'persist',
      startIteration: offer.iteration,
      endIteration: offer.iteration,
      startSeconds,
      durationSeconds: offer.persistSeconds,
      k: kPersist,
    });
    this.inFlight = {
      iteration: offer.iteration,
      pointerAfter: offer.pointerAfter,
      startSeconds,
      doneSeconds: startSeconds + offer.persistSeconds,
      set: chosenSet,
      event,
    };
  }
}

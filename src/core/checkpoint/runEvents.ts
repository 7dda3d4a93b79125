import type { RunEvent } from './runTypes';

/** Checkpoint, snapshot and persist bars kept on each side of the viewed iteration, in checkpoints. */
export const CHECKPOINTS_EACH_SIDE = 400;
/** Faults whose rollback and restart bars are kept (every fault's time is kept, in faultSeconds). */
export const MAX_FAULTS_SHOWN = 500;
/** A hard cap on the timeline, whatever the mix. */
export const MAX_EVENTS = 4000;

/**
 * The timeline's event log: save bars near the viewed iteration and the first faults, up to MAX_EVENTS; the rest are
 * only counted. Every fault's time is kept besides: faults are few next to iterations (MAX_FAULTS at most), and a
 * fault lane that stopped at the 500th would show a run failing only in its first part.
 */
export class EventLog {
  readonly events: RunEvent[] = [];
  /** Wall-clock second of every fault, in order, whether or not its bars are kept. */
  readonly faultSeconds: number[] = [];
  /** Events not kept, faults aside (each is in faultSeconds). */
  omitted = 0;
  private faultsShown = 0;
  private readonly low: number;
  private readonly high: number;

  constructor(
    viewIteration: number,
    private readonly intervalIterations: number,
  ) {
    const half = CHECKPOINTS_EACH_SIDE * intervalIterations;
    this.low = viewIteration - half;
    this.high = viewIteration + half;
  }

  readonly record = (event: RunEvent): RunEvent | null => {
    let keep = this.events.length < MAX_EVENTS;
    if (event.kind === 'fault') {
      this.faultSeconds.push(event.startSeconds);
      keep &&= this.faultsShown < MAX_FAULTS_SHOWN;
      // Not counted as omitted: its time is in faultSeconds, so the fault itself is still drawn.
      if (!keep) return null;
      this.faultsShown += 1;
    } else if (event.kind === 'rollback' || event.kind === 'restart') {
      // Kept with their fault: the fault is recorded first.
      const last = this.events[this.events.length - 1];
      keep &&= last !== undefined && (last.kind === 'fault' || last.kind === 'rollback');
    } else {
      keep &&= event.startIteration >= this.low && event.startIteration <= this.high;
    }
    if (!keep) {
      this.omitted += 1;
      return null;
    }
    this.events.push(event);
    return event;
  };

  /** The kept events in time order (a persist can start after later checkpoints were recorded). */
  sorted(): RunEvent[] {
    return [...this.events].sort((a, b) => a.startSeconds - b.startSeconds);
  }

  note(): string {
    if (this.omitted === 0) return 'Every event of the run is shown.';
    const half = CHECKPOINTS_EACH_SIDE * this.intervalIterations;
    return (
      `${this.omitted} events omitted: the timeline keeps checkpoint, snapshot and persist bars within ` +
      `±${half} iterations of the iteration shown, the restart and rollback bars of the first ${MAX_FAULTS_SHOWN} ` +
      `faults, and at most ${MAX_EVENTS} events. Every fault is marked on the fault lane.`
    );
  }
}

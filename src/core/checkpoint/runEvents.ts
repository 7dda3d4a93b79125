import type { RunEvent } from './runTypes';

/** Checkpoint, snapshot and persist bars kept on each side of the viewed iteration, in checkpoints. */
export const CHECKPOINTS_EACH_SIDE = 400;
/** Faults whose fault, rollback and restart bars are kept. */
export const MAX_FAULTS_SHOWN = 500;
/** A hard cap on the timeline, whatever the mix. */
export const MAX_EVENTS = 4000;

/**
 * The timeline's event log: save bars near the viewed iteration and the first faults, up to MAX_EVENTS; the rest are
 * only counted.
 */
export class EventLog {
  readonly events: RunEvent[] = [];
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
      keep &&= this.faultsShown < MAX_FAULTS_SHOWN;
      if (keep) this.faultsShown += 1;
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
      `±${half} iterations of the iteration shown, the first ${MAX_FAULTS_SHOWN} faults, and at most ${MAX_EVENTS} events.`
    );
  }
}

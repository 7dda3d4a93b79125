import type { Scenario } from '../scenario/types';
import {
  microsecondsBetween,
  microsecondsOf,
  type TraceArgs,
  type TraceEventDraft,
  type TraceMetadataEvent,
} from '../trace/traceEvent';

/**
 * Where the checkpointing trace puts things: its process, one thread per lane of the lab's timeline (names in the
 * order the lab draws them), and the slices and instants placed on them.
 */

/** One process: the simulated job. */
export const PID = 1;
/** The lanes, as the Checkpointing lab's timeline draws them, plus one for the work rollbacks throw away. */
export const TID = { training: 1, snapshot: 2, persist: 3, faults: 4, rolledBack: 5 } as const;

export function laneNames(scenario: Scenario): [number, string][] {
  const twoLevel = scenario.checkpoint.twoLevel;
  const lanes: [number, string][] = [
    [TID.training, 'Training (iterations, checkpoint stalls)'],
    [TID.snapshot, twoLevel ? 'Snapshot (GPU→CPU)' : 'Save (GPU→storage)'],
  ];
  if (twoLevel) lanes.push([TID.persist, 'Persist (CPU→storage)']);
  lanes.push([TID.faults, 'Faults and restarts'], [TID.rolledBack, 'Rolled-back work']);
  return lanes;
}

export function metadataEvents(scenario: Scenario): TraceMetadataEvent[] {
  const events: TraceMetadataEvent[] = [
    { ph: 'M', name: 'process_name', pid: PID, tid: 0, ts: 0, args: { name: 'MoE Lab: checkpointing run' } },
    { ph: 'M', name: 'process_sort_index', pid: PID, tid: 0, ts: 0, args: { sort_index: 0 } },
  ];
  for (const [tid, name] of laneNames(scenario)) {
    events.push({ ph: 'M', name: 'thread_name', pid: PID, tid, ts: 0, args: { name } });
    events.push({ ph: 'M', name: 'thread_sort_index', pid: PID, tid, ts: 0, args: { sort_index: tid } });
  }
  return events;
}

export function slice(
  tid: number,
  name: string,
  cat: string,
  fromSeconds: number,
  toSeconds: number,
  args: TraceArgs,
): TraceEventDraft {
  const tsUs = microsecondsOf(fromSeconds);
  return {
    ph: 'X',
    name,
    cat,
    pid: PID,
    tid,
    tsUs,
    durUs: microsecondsBetween(fromSeconds, toSeconds),
    args,
  };
}

export function instant(
  tid: number,
  name: string,
  cat: string,
  seconds: number,
  scope: 'g' | 't',
  args: TraceArgs,
): TraceEventDraft {
  return { ph: 'i', name, cat, pid: PID, tid, tsUs: microsecondsOf(seconds), s: scope, args };
}

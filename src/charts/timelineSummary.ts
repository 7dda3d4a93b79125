import type { RunEvent } from '../core/checkpoint/runTypes';
import { formatInput, formatValue } from '../core/format';
import type { ChartTable } from './ChartData';

/** Faults listed in the table, and checkpoint stalls named in the sentence: the first few in the window. */
export const FIRST_FAULTS_LISTED = 5;
const FIRST_STALLS_NAMED = 3;

const seconds = (value: number) => formatValue(value, 's');
const iteration = (value: number) => formatInput(value, '');
const plural = (count: number, noun: string) => `${formatInput(count, '')} ${noun}${count === 1 ? '' : 's'}`;

/** "a", "a and b", "a, b and c". */
function list(items: readonly string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * What a stretch of the training timeline shows, in words and a short table: how many faults, rollbacks and
 * checkpoint stalls fall in it, the first stalls' iterations, and the first faults with the iteration each
 * reached and the checkpoint it rolled back to.
 */
export function timelineSummary(
  events: readonly RunEvent[],
  fromSeconds: number,
  toSeconds: number,
  /** Every fault's second; the events keep only the first faults' (MAX_FAULTS_SHOWN). */
  faultSeconds: readonly number[],
): { summary: string; tables: ChartTable[] } {
  const inWindow = events.filter(
    (event) => event.startSeconds + event.durationSeconds >= fromSeconds && event.startSeconds <= toSeconds,
  );
  const faults = inWindow.filter((event) => event.kind === 'fault');
  const rollbacks = inWindow.filter((event) => event.kind === 'rollback');
  const checkpoints = inWindow.filter((event) => event.kind === 'checkpoint');
  const stalls = checkpoints.filter((event) => event.durationSeconds > 0);
  const interrupted = checkpoints.filter((event) => event.discarded).length;
  const redone = rollbacks.reduce((sum, event) => sum + (event.startIteration - event.endIteration), 0);
  const stallSeconds = stalls.reduce((sum, event) => sum + event.durationSeconds, 0);
  const faultCount = faultSeconds.filter((second) => second >= fromSeconds && second <= toSeconds).length;
  const parts = [`From ${seconds(fromSeconds)} to ${seconds(toSeconds)} of wall-clock time:`];
  parts.push(
    faultCount === 0
      ? 'no faults;'
      : faultCount > faults.length
        ? `${plural(faultCount, 'fault')}, the first ${formatInput(faults.length, '')} with their rollbacks kept (${plural(redone, 'iteration')} redone in those);`
        : `${plural(faultCount, 'fault')} and ${plural(rollbacks.length, 'rollback')}, ${plural(redone, 'iteration')} redone;`,
  );
  if (stalls.length > 0) {
    const first = stalls.slice(0, FIRST_STALLS_NAMED).map((event) => iteration(event.startIteration));
    parts.push(
      `${plural(checkpoints.length, 'checkpoint')}, ${formatInput(stalls.length, '')} of them stalling training for ${seconds(stallSeconds)} in all (the first after ${stalls.length === 1 ? 'iteration' : 'iterations'} ${list(first)}).`,
    );
  } else {
    parts.push(`${plural(checkpoints.length, 'checkpoint')}, none stalling training.`);
  }
  if (interrupted > 0) parts.push(`${plural(interrupted, 'checkpoint')} cut short by a fault.`);
  const rollbackAt = new Map(rollbacks.map((event) => [event.startSeconds, event]));
  const listed = faults.slice(0, FIRST_FAULTS_LISTED);
  return {
    summary: parts.join(' '),
    tables: [
      {
        caption:
          faultCount > listed.length
            ? `The first ${listed.length} of ${formatInput(faultCount, '')} faults`
            : `The ${faults.length === 1 ? 'fault' : `${faults.length} faults`}`,
        columns: ['Fault at', 'Node', 'Iteration reached', 'Rolled back to iteration'],
        rows: listed.map((fault) => {
          const rollback = rollbackAt.get(fault.startSeconds);
          return [
            seconds(fault.startSeconds),
            fault.node === undefined ? '—' : String(fault.node),
            iteration(fault.startIteration),
            rollback ? iteration(rollback.endIteration) : '—',
          ];
        }),
      },
    ],
  };
}

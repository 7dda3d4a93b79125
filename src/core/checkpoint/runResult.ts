import type { ExpertSaveGrid, RunTimeAccounting } from './runTypes';

/** An all-zero save grid (the initial state: every expert saved at iteration 0). */
export function emptyGrid(
  viewIteration: number,
  layers: number,
  experts: number,
  k: number,
  kPersist: number,
): ExpertSaveGrid {
  const cells = layers * experts;
  return {
    viewIteration,
    layers,
    experts,
    lastSaved: new Int32Array(cells),
    lastPersisted: new Int32Array(cells),
    staleness: new Int32Array(cells),
    persistStaleness: new Int32Array(cells),
    k,
    kPersist,
  };
}

/** Fills the staleness grids from the captured last-saved iterations. */
export function finishGrid(grid: ExpertSaveGrid): void {
  const view = grid.viewIteration;
  for (let index = 0; index < grid.lastSaved.length; index += 1) {
    grid.staleness[index] = view - (grid.lastSaved[index] ?? 0);
    grid.persistStaleness[index] = view - (grid.lastPersisted[index] ?? 0);
  }
}

/**
 * Wall time split four ways. Useful = iteration time executed − iteration time later rolled back, so
 * total = useful + stalls + restarts + lost = everything the clock ran.
 */
export function timeAccounting(args: {
  executedSeconds: number;
  stallSeconds: number;
  restartSeconds: number;
  lostSeconds: number;
}): RunTimeAccounting {
  const { executedSeconds, stallSeconds, restartSeconds, lostSeconds } = args;
  const usefulSeconds = executedSeconds - lostSeconds;
  const totalSeconds = usefulSeconds + stallSeconds + restartSeconds + lostSeconds;
  return {
    usefulSeconds,
    stallSeconds,
    restartSeconds,
    lostSeconds,
    totalSeconds,
    goodput: totalSeconds > 0 ? usefulSeconds / totalSeconds : 1,
  };
}

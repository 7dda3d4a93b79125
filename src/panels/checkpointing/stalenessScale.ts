/** The staleness grid's colour scale: its top value and what the top colour means. */
export interface StalenessScale {
  maxIterations: number;
  /** What reaching the top colour means, for the legend. */
  meaning: string;
  /** The same in a few words, for the end of the colour key. */
  short: string;
}

/**
 * A colour scale for iterations since each expert was last saved that reads the same whatever K is: from 0 to
 * N × I_ckpt, the longest sequential PEC leaves an expert unsaved at its smallest K (K = 1 saves each expert every N
 * checkpoints, MoC §3.2), or to the oldest copy in the grid when faults or skipped persists leave one older. A scale
 * stretched to K's own rotation, ⌈N/K⌉ × I_ckpt, turned the whole grid the top colour at K = N, where every expert is
 * at most one interval old: the freshest PEC can be, drawn as the stalest.
 */
export function stalenessScale(
  experts: number,
  intervalIterations: number,
  grids: readonly Int32Array[],
): StalenessScale {
  const rotation = Math.max(1, experts * intervalIterations);
  let observed = 0;
  for (const grid of grids) for (const value of grid) observed = Math.max(observed, value);
  if (observed > rotation)
    return { maxIterations: observed, meaning: 'the oldest copy in the grid', short: 'the oldest here' };
  return {
    maxIterations: rotation,
    meaning: `N × I_ckpt = ${experts} × ${intervalIterations}, the longest K = 1 leaves an expert unsaved`,
    short: 'as stale as K = 1 gets',
  };
}

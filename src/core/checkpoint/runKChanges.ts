import type { KPoint } from './runTypes';

/**
 * MoC §5.3 says only that K_pec is doubled (papers.md §1.8). With two-level saving the lab doubles K_persist with it,
 * its own rule, said as such wherever dynamic K is described.
 */
export const K_PERSIST_DERIVED =
  'With two-level saving the lab also doubles K_persist (up to K), its own rule (derived: MoC §5.3 says only that K_pec is doubled). A failed node restores its experts from storage, where only K_persist were written, so doubling only K_snapshot would leave PLT where it was.';

/** One step of dynamic K (MoC §5.3): after a recovery K, K_persist or both doubled. */
export interface KDoubling {
  /** The iteration training resumed from (the checkpoint rolled back to), from which the new K applies. */
  iteration: number;
  /** Wall-clock seconds at the end of the restart, when the new K took effect. */
  seconds: number;
  kFrom: number;
  kTo: number;
  kPersistFrom: number;
  kPersistTo: number;
}

/** The doublings a run's K series records, in order (none when dynamic K is off or never fires). */
export function kDoublings(kSeries: readonly KPoint[]): KDoubling[] {
  const doublings: KDoubling[] = [];
  for (let index = 1; index < kSeries.length; index += 1) {
    const before = kSeries[index - 1];
    const after = kSeries[index];
    if (!before || !after) continue;
    doublings.push({
      iteration: after.iteration,
      seconds: after.seconds,
      kFrom: before.k,
      kTo: after.k,
      kPersistFrom: before.kPersist,
      kPersistTo: after.kPersist,
    });
  }
  return doublings;
}

/**
 * A doubling in a few words: 'K 4→8 and K_persist 1→2' with two-level saving, 'K 4→8' without it (K_persist is K).
 * `short`, for a label on a chart, joins them with a comma ('K 4→8, K_persist 1→2'), so the next label's K_persist
 * does not seem to start from nowhere.
 */
export function describeKDoubling(doubling: KDoubling, twoLevel: boolean, short = false): string {
  const k = doubling.kTo !== doubling.kFrom ? `K ${doubling.kFrom}→${doubling.kTo}` : '';
  const persist =
    twoLevel && doubling.kPersistTo !== doubling.kPersistFrom
      ? `K_persist ${doubling.kPersistFrom}→${doubling.kPersistTo}`
      : '';
  return [k, persist].filter(Boolean).join(short ? ', ' : ' and ');
}

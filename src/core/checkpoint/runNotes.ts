import { MAX_FAULTS, MAX_FAULTS_WITHOUT_PROGRESS } from './runFaults';
import { K_PERSIST_DERIVED } from './runKChanges';

/** The rules the fault simulation follows, in words, for the panel's notes (papers.md §1.3–1.8; "derived" = ours). */
export function runNotes(settings: { twoLevel: boolean; dynamicK: boolean }, completed: boolean): string[] {
  const { twoLevel, dynamicK } = settings;
  const notes = [
    'Faults arrive at random in wall-clock time, exponentially with mean MTBF (seeded), each taking down one node chosen at random.',
    twoLevel
      ? 'A checkpoint at the end of iteration t stalls training by O_save (MoC Eq. 10). It can be rolled back to once its persist to storage has finished: the failed node reads its non-expert state from storage (MoC §5.1), and every node must roll back to the same iteration. A fault before then discards it, and any newer snapshot in CPU memory.'
      : 'A checkpoint at the end of iteration t stalls training by O_save (MoC Eq. 10) and is complete once its write to storage has finished; a fault before then discards it.',
    'After a fault: restart (O_restart), roll back to the last complete checkpoint t_c, and recompute the iterations after it (lost work).',
    twoLevel
      ? 'Two-level saving (MoC §5): healthy nodes restore their experts from the in-memory snapshot (one newer than t_c loses nothing: its updates are made again); the failed node restores its experts from storage, as of the last persist that finished before the fault (a persist still writing is lost). One persist writes at a time; a newer snapshot replaces a waiting one.'
      : 'Single-level saving: every expert is restored from the copy in storage, which the checkpoint wrote.',
    'Lost tokens (derived from MoC §3.3, Eq. 7): an expert restored from a copy of iteration t_e ≤ t_c loses the tokens it processed in (t_e, t_c]; PLT sums them over faults and MoE layers, divided by the run’s token-expert assignments.',
    'Per-expert token rates follow the Routing lab’s popularity profile (fixed over the run).',
    ...(dynamicK
      ? [
          `Dynamic K (MoC §5.3): after each recovery, K doubles (up to N) while the accumulated PLT is above the threshold.${twoLevel ? ` ${K_PERSIST_DERIVED}` : ''}`,
        ]
      : []),
    'The non-expert part is always saved, so it is restored at t_c and not counted in PLT.',
  ];
  if (!completed)
    notes.push(
      `The run stopped early: failures arrive faster than training reaches complete checkpoints (${MAX_FAULTS_WITHOUT_PROGRESS} faults in a row rolled back to the same one, or ${MAX_FAULTS} faults in all).`,
    );
  return notes;
}

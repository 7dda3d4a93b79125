import type { CheckpointComposition } from '../../core/checkpoint/sizes';
import { formatValue } from '../../core/format';
import { StackedBar, type Segment } from '../../charts/StackedBar';

const bytes = (value: number) => formatValue(value, 'B');

/** A checkpoint's four parts (MoC Fig. 2), with the experts' share scaled by `expertFraction` (K/N under PEC). */
function parts(composition: CheckpointComposition, expertFraction: number): Segment[] {
  const part = (id: string, label: string, value: number) => ({ id, label, value, display: bytes(value) });
  return [
    part('eo', 'Expert optimizer state', composition.expertOptimizerBytes * expertFraction),
    part('ew', 'Expert weights', composition.expertWeightBytes * expertFraction),
    part('no', 'Non-expert optimizer state', composition.nonExpertOptimizerBytes),
    part('nw', 'Non-expert weights', composition.nonExpertWeightBytes),
  ];
}

/** What a checkpoint holds, full (Eq. 5) against Partial Experts Checkpointing with K of N experts (Eq. 6). */
export function CheckpointSizeBars({
  composition,
  k,
  pec,
}: {
  composition: CheckpointComposition;
  k: number;
  pec: boolean;
}) {
  return (
    <>
      <StackedBar
        title={`Full checkpoint: ${bytes(composition.fullBytes)}`}
        segments={parts(composition, 1)}
      />
      <StackedBar
        title={
          pec
            ? `With PEC (K = ${k} of ${composition.experts})`
            : `PEC off: each checkpoint saves all ${composition.experts} experts, the full checkpoint`
        }
        total={composition.fullBytes}
        segments={parts(composition, k / composition.experts)}
      />
    </>
  );
}

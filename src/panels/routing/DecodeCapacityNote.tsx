import { decodesWithoutCapacity } from '../../core';
import { useAppState } from '../../state/AppStoreContext';

/** Says why the capacity controls are gone in decode: Capacity-Aware Inference caps only prefill. */
export function DecodeCapacityNote() {
  const scenario = useAppState((state) => state.scenario);
  if (!decodesWithoutCapacity(scenario)) return null;
  return (
    <p className="chart__note" data-testid="decode-capacity-note">
      Decode steps carry one token per sequence, and Capacity-Aware Inference applies no capacity limit to
      them (its code sets no capacity when the sequence length is 1, §3), so this decode step is routed
      dropless. Switch the workload to prefill or training to cap it.
    </p>
  );
}

/**
 * Per-expert capacity on one source device: C = ⌈γ · k · T / E⌉ (Capacity-Aware Inference, code
 * `_compute_capacity`; GShard/Switch expert capacity), with T the device's own tokens.
 */
export function expertCapacity(
  capacityFactor: number,
  topK: number,
  tokensOnDevice: number,
  experts: number,
): number {
  return Math.max(1, Math.ceil((capacityFactor * topK * tokensOnDevice) / experts));
}

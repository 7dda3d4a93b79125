/**
 * Floating-point noise allowed below an integer before ⌈·⌉ rounds up: γ = 1.1, k = 10, T = 10, E = 11 computes
 * γ·k·T/E as 10.000000000000002, which would give C = 11 for an exact 10.
 */
const CEILING_RELATIVE_TOLERANCE = 1e-12;

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
  const slots = (capacityFactor * topK * tokensOnDevice) / experts;
  return Math.max(1, Math.ceil(slots - slots * CEILING_RELATIVE_TOLERANCE));
}

/**
 * Derives an independent 32-bit seed for one (scenario seed, step, layer, device) so any batch of any layer can be
 * drawn on its own, in any order, and still be the same everywhere. murmur3's 32-bit finaliser mixes each part in.
 */
export function deriveSeed(...parts: number[]): number {
  let hash = 0x9e3779b9;
  for (const part of parts) {
    hash ^= part >>> 0;
    hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
    hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
    hash ^= hash >>> 16;
  }
  return hash >>> 0;
}

/** A bare mulberry32 state stepper for hot loops, where a closure call per draw would cost more than the draw. */
export function mulberry32Step(state: number): number {
  return (state + 0x6d2b79f5) | 0;
}

export function mulberry32Output(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

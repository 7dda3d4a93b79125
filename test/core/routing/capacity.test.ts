import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expertCapacity } from '../../../src/core/routing/capacity';
import { routeStep } from '../../../src/core/routing/routeStep';
import { defaultScenario } from '../../../src/core/scenario/defaults';
import { applyEntries } from '../../../src/core/scenario/validate';

describe('expert capacity C = ⌈γ·k·T/E⌉ (Capacity-Aware Inference, code _compute_capacity)', () => {
  it.each([
    // γ, k, T, E, C
    [1.5, 8, 2048, 64, 384], // OLMoE, the paper's headline γ: exactly 1.5·N̄
    [1.0, 8, 2048, 64, 256], // γ = 1: the balanced load N̄ = T·k/E
    [2.0, 2, 1024, 8, 512], // Mixtral
    [1.25, 2, 100, 8, 32], // 31.25 rounds up
    [1.0, 6, 1000, 64, 94], // 93.75 rounds up
    [0.1, 1, 16, 4096, 1], // never below one slot
    [1.1, 10, 10, 11, 10], // exactly 10, though γ·k·T/E computes as 10.000000000000002
    [0.1, 20, 17, 34, 1], // exactly 1, though it computes as 1.0000000000000002 (found by fast-check)
  ])('γ=%f k=%i T=%i E=%i → C=%i', (gamma, topK, tokens, experts, capacity) => {
    expect(expertCapacity(gamma, topK, tokens, experts)).toBe(capacity);
  });

  it('is at least γ·k·T/E, less than one above it, and never below 1', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 8, noNaN: true }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 16384 }),
        fc.integer({ min: 1, max: 4096 }),
        (gamma, topK, tokens, experts) => {
          const capacity = expertCapacity(gamma, topK, tokens, experts);
          const exact = (gamma * topK * tokens) / experts;
          expect(Number.isInteger(capacity)).toBe(true);
          expect(capacity).toBeGreaterThanOrEqual(1);
          // Up to a relative 1e-12 of floating-point noise in γ·k·T/E, either way.
          expect(capacity).toBeGreaterThanOrEqual(exact * (1 - 1e-12));
          expect(capacity - 1).toBeLessThan(Math.max(1, exact) * (1 + 1e-12));
          expect(expertCapacity(gamma * 1.5, topK, tokens, experts)).toBeGreaterThanOrEqual(capacity);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('routeStep uses the per-device T, not the whole batch, and reports 0 when the limit is off', () => {
    const base: [string, unknown][] = [
      ['model', 'olmoe-1b-7b'],
      ['routing.tokensPerDevice', 256],
      ['routing.capacityFactor', 1.5],
    ];
    const on = applyEntries(defaultScenario(), [...base, ['routing.capacity', 'expert']]).scenario;
    const off = applyEntries(defaultScenario(), [...base, ['routing.capacity', 'off']]).scenario;
    expect(routeStep(on, 0, { layers: [0] }).layers[0]?.capacity).toBe(48);
    expect(routeStep(off, 0, { layers: [0] }).layers[0]?.capacity).toBe(0);
  });
});

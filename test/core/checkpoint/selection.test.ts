import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  heaviestSequentialPointer,
  sequentialOwnerCounts,
  sequentialPeriod,
  sequentialPointer,
  sequentialSelection,
} from '../../../src/core/checkpoint/selection';

/** Expert indices of each layer from a flat K-per-layer buffer. */
function perLayer(out: Int32Array, layers: number, k: number): number[][] {
  return Array.from({ length: layers }, (_, layer) => Array.from(out.subarray(layer * k, layer * k + k)));
}

describe('sequential selection (MoC Fig. 4)', () => {
  it('reproduces the Fig. 4 example: 3 EP ranks, MoE layers 1, 3, 5, 7 with 3 experts, K = 1', () => {
    const out = new Int32Array(4);
    sequentialSelection(4, 3, 1, sequentialPointer(0, 1, 3), out, 3);
    // Checkpoint t saves Expert(1-0, 3-1, 5-2, 7-0).
    expect(Array.from(out)).toEqual([0, 1, 2, 0]);
    sequentialSelection(4, 3, 1, sequentialPointer(1, 1, 3), out, 3);
    // Checkpoint t+1 saves Expert(1-1, 3-2, 5-0, 7-1).
    expect(Array.from(out)).toEqual([1, 2, 0, 1]);
  });

  it('puts the Fig. 4 saves on the figure’s ranks: Rank0 saves two experts at t, Rank1 two at t+1', () => {
    const owners = new Float64Array(3);
    sequentialOwnerCounts(4, 3, 3, 1, sequentialPointer(0, 1, 3), owners);
    expect(Array.from(owners)).toEqual([2, 1, 1]);
    sequentialOwnerCounts(4, 3, 3, 1, sequentialPointer(1, 1, 3), owners);
    expect(Array.from(owners)).toEqual([1, 2, 1]);
  });

  it('with K > 1 the save continues from one layer to the next, dealt to the EP ranks in turn', () => {
    const out = new Int32Array(3 * 3);
    // 8 experts on 4 ranks (2 each: rank r holds 2r, 2r+1); positions deal ranks 0, 1, 2, 3, 0, … then their second
    // experts: position g is expert (g mod 4)·2 + ⌊g/4⌋. c·K = 6: positions 6..14 (mod 8).
    sequentialSelection(3, 8, 3, sequentialPointer(2, 3, 8), out, 4);
    expect(perLayer(out, 3, 3)).toEqual([
      [5, 7, 0],
      [2, 4, 6],
      [1, 3, 5],
    ]);
  });

  it('with one EP rank, the positions are the experts: runs of K that continue across layers', () => {
    const out = new Int32Array(3 * 3);
    sequentialSelection(3, 8, 3, sequentialPointer(2, 3, 8), out, 1);
    expect(perLayer(out, 3, 3)).toEqual([
      [6, 7, 0],
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('saves every expert once per period and repeats after N / gcd(N, K) checkpoints', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 64 }), (experts, rawK) => {
        const k = Math.min(rawK, experts);
        const period = sequentialPeriod(experts, k);
        expect(sequentialPointer(period, k, experts)).toBe(0);
        const saves = new Float64Array(experts);
        const out = new Int32Array(k);
        for (let checkpoint = 0; checkpoint < period; checkpoint += 1) {
          sequentialSelection(1, experts, k, sequentialPointer(checkpoint, k, experts), out, 1);
          expect(new Set(out).size).toBe(k);
          for (const expert of out) saves[expert] = (saves[expert] ?? 0) + 1;
        }
        // Over a period every expert is saved equally often: K·period/N times.
        for (const count of saves) expect(count).toBe((k * period) / experts);
      }),
    );
  });

  it('owner counts match counting the selection one expert at a time', () => {
    const layout = fc
      .tuple(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 12 }))
      .chain(([ep, perRank, layers]) =>
        fc.record({
          ep: fc.constant(ep),
          experts: fc.constant(ep * perRank),
          layers: fc.constant(layers),
          k: fc.integer({ min: 1, max: ep * perRank }),
          checkpoint: fc.integer({ min: 0, max: 1000 }),
        }),
      );
    fc.assert(
      fc.property(layout, ({ ep, experts, layers, k, checkpoint }) => {
        const pointer = sequentialPointer(checkpoint, k, experts);
        const out = new Int32Array(layers * k);
        sequentialSelection(layers, experts, k, pointer, out, ep);
        const expected = new Float64Array(ep);
        for (const expert of out) {
          const owner = Math.floor(expert / (experts / ep));
          expected[owner] = (expected[owner] ?? 0) + 1;
        }
        const owners = new Float64Array(ep);
        sequentialOwnerCounts(layers, experts, ep, k, pointer, owners);
        expect(Array.from(owners)).toEqual(Array.from(expected));
      }),
    );
  });

  it('deals the saves to EP ranks in turn: rank loads differ by at most one, and are equal when EP divides N_moe·K (MoC §4.3)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 0, max: 1000 }),
        (ep, perRank, rawK, layers, checkpoint) => {
          const experts = ep * perRank;
          const k = Math.min(rawK, experts);
          const owners = new Float64Array(ep);
          sequentialOwnerCounts(layers, experts, ep, k, sequentialPointer(checkpoint, k, experts), owners);
          expect(Math.max(...owners) - Math.min(...owners)).toBeLessThanOrEqual(1);
          if ((layers * k) % ep === 0) expect(Math.max(...owners)).toBe(Math.min(...owners));
          expect(owners.reduce((sum, count) => sum + count, 0)).toBe(layers * k);
        },
      ),
    );
  });

  it('balances the paper’s GPT-350M-16E cases: 12 MoE layers × K = 4 over EP = 16 (Case 2) and EP = 8 (Cases 1, 3)', () => {
    for (const ep of [16, 8]) {
      const owners = new Float64Array(ep);
      sequentialOwnerCounts(12, 16, ep, 4, 0, owners);
      expect(new Set(owners)).toEqual(new Set([48 / ep]));
    }
  });

  it('the heaviest pointer loads the busiest EP rank as much as any checkpoint of the period', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 48 }),
        (ep, perRank, layers, rawK) => {
          const experts = ep * perRank;
          const k = Math.min(rawK, experts);
          const owners = new Float64Array(ep);
          const busiest = (pointer: number) => {
            sequentialOwnerCounts(layers, experts, ep, k, pointer, owners);
            return Math.max(...owners);
          };
          let worst = 0;
          for (let checkpoint = 0; checkpoint < sequentialPeriod(experts, k); checkpoint += 1) {
            worst = Math.max(worst, busiest(sequentialPointer(checkpoint, k, experts)));
          }
          expect(busiest(heaviestSequentialPointer(layers, experts, ep, k))).toBe(worst);
        },
      ),
    );
  });

  it('stays exact for run lengths far beyond 2^31 checkpoints', () => {
    expect(sequentialPointer(1e12 + 3, 5, 16)).toBe(((1e12 + 3) * 5) % 16);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DeviceRoutingOutput, RoutingScratch } from '../../../src/core/routing/routeDevice';
import type { DropPolicy } from '../../../src/core/routing/types';
import { capacityOf, localExpertsOf, runDevice, type DeviceCase, deviceCaseArbitrary } from './support';

/** A plain check for per-pair loops: `expect` costs too much per call to run over millions of pairs. */
function ensure(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

/** A pair is strictly better than another for Score drop: higher gate score, ties to the lower token. */
function better(scratch: RoutingScratch, a: number, b: number): boolean {
  const scoreA = scratch.pairScore[a] ?? 0;
  const scoreB = scratch.pairScore[b] ?? 0;
  return scoreA > scoreB || (scoreA === scoreB && (scratch.pairToken[a] ?? 0) < (scratch.pairToken[b] ?? 0));
}

/** The pairs competing for one capacity budget: one expert's (expert mode) or one target device's experts'. */
function capacityGroups(c: DeviceCase, scratch: RoutingScratch): { pairs: number[]; budget: number }[] {
  const capacity = capacityOf(c);
  const local = localExpertsOf(c);
  const device = c.capacityMode === 'device';
  const groupCount = device ? c.ep : c.experts;
  const groups = Array.from({ length: groupCount }, () => ({
    pairs: [] as number[],
    budget: device ? capacity * local : capacity,
  }));
  for (let pair = 0; pair < scratch.pairCount; pair += 1) {
    const expert = scratch.pairExpert[pair] ?? 0;
    groups[device ? Math.floor(expert / local) : expert]?.pairs.push(pair);
  }
  return groups;
}

/** Checks one group's kept set against its drop policy; throws with a message on the first violation. */
function checkPolicy(
  c: DeviceCase,
  scratch: RoutingScratch,
  group: { pairs: number[]; budget: number },
  policy: DropPolicy,
): void {
  const kept = group.pairs.filter((pair) => scratch.pairKept[pair] === 1);
  const dropped = group.pairs.filter((pair) => scratch.pairKept[pair] !== 1);
  // Work-conserving: a group keeps min(candidates, budget); it never drops while it has room.
  ensure(
    kept.length === Math.min(group.pairs.length, group.budget),
    `kept ${kept.length} of ${group.pairs.length} with budget ${group.budget}`,
  );
  if (dropped.length === 0 || kept.length === 0) return;
  if (policy === 'score') {
    // Exactly the top-C by score (ties to the lower token): no dropped pair beats a kept one.
    let worstKept = kept[0] ?? 0;
    for (const pair of kept) if (better(scratch, worstKept, pair)) worstKept = pair;
    let bestDropped = dropped[0] ?? 0;
    for (const pair of dropped) if (better(scratch, pair, bestDropped)) bestDropped = pair;
    ensure(!better(scratch, bestDropped, worstKept), `score drop kept a worse pair (${c.capacityMode})`);
  } else if (policy === 'order') {
    // Switch's rule: later tokens are dropped. Pair indices run in token order.
    ensure(Math.max(...kept) < Math.min(...dropped), `order drop kept a later token (${c.capacityMode})`);
  } else if (policy === 'reverse') {
    ensure(
      Math.min(...kept) > Math.max(...dropped),
      `reverse drop kept an earlier token (${c.capacityMode})`,
    );
  }
}

function sum(values: Int32Array): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

function checkDevice(c: DeviceCase): { out: DeviceRoutingOutput; scratch: RoutingScratch } {
  const { out, scratch } = runDevice(c);
  const capacity = capacityOf(c);
  const local = localExpertsOf(c);
  const localStart = c.device * local;
  const expansion = c.expandedDrop && c.capacityMode !== 'off';
  const pairCount = scratch.pairCount;

  // Every candidate pair is listed once: no (token, expert) twice.
  const seen = new Set<number>();
  const originalsPerToken = new Int32Array(c.tokens);
  const keptPerToken = new Int32Array(c.tokens);
  const keptPerExpert = new Int32Array(c.experts);
  let originals = 0;
  let keptOriginals = 0;
  let keptAdded = 0;
  for (let pair = 0; pair < pairCount; pair += 1) {
    const token = scratch.pairToken[pair] ?? -1;
    const expert = scratch.pairExpert[pair] ?? -1;
    const kept = scratch.pairKept[pair] ?? 255;
    const original = scratch.pairOriginal[pair] ?? 255;
    ensure(token >= 0 && token < c.tokens && expert >= 0 && expert < c.experts, `pair ${pair} out of range`);
    ensure(kept === 0 || kept === 1, `pairKept[${pair}] = ${kept}`);
    ensure(original === 0 || original === 1, `pairOriginal[${pair}] = ${original}`);
    const key = token * c.experts + expert;
    ensure(!seen.has(key), `pair (${token}, ${expert}) listed twice`);
    seen.add(key);
    if (original) {
      originals += 1;
      originalsPerToken[token] = (originalsPerToken[token] ?? 0) + 1;
      if (kept) keptOriginals += 1;
    } else {
      // Expanded Drop only adds pairs when a capacity limit is on, and only to the token's own device's experts.
      ensure(expansion, 'an added pair without Expanded Drop');
      ensure(expert >= localStart && expert < localStart + local, `added pair to remote expert ${expert}`);
      if (kept) keptAdded += 1;
    }
    if (kept) {
      keptPerToken[token] = (keptPerToken[token] ?? 0) + 1;
      keptPerExpert[expert] = (keptPerExpert[expert] ?? 0) + 1;
    }
  }
  // Token choice: every token routes exactly k distinct experts before any limit.
  for (let token = 0; token < c.tokens; token += 1)
    ensure(originalsPerToken[token] === c.topK, `token ${token} has ${originalsPerToken[token]} experts`);
  expect(originals).toBe(c.tokens * c.topK);
  expect(out.routedPairs).toBe(originals);
  expect(sum(out.preDrop)).toBe(out.routedPairs);
  // Kept or dropped, never both or lost: the kept set is what the counts say, each pair counted once.
  expect(out.keptPairs).toBe(keptOriginals + keptAdded);
  expect(out.addedPairs).toBe(keptAdded);
  expect(Array.from(out.kept)).toEqual(Array.from(keptPerExpert));
  expect(sum(out.kept)).toBe(out.keptPairs);
  const droppedOriginals = originals - keptOriginals;
  expect(droppedOriginals).toBeGreaterThanOrEqual(0);
  let noExpert = 0;
  for (let token = 0; token < c.tokens; token += 1) if (keptPerToken[token] === 0) noExpert += 1;
  expect(out.tokensWithNoExpert, 'tokens with no kept pair').toBe(noExpert);

  // Pre-drop counts per expert are the original pairs per expert.
  const preDrop = new Int32Array(c.experts);
  for (let pair = 0; pair < pairCount; pair += 1)
    if (scratch.pairOriginal[pair]) preDrop[scratch.pairExpert[pair] ?? 0]! += 1;
  expect(Array.from(out.preDrop)).toEqual(Array.from(preDrop));
  expect(out.maxExpertLoadBefore).toBe(Math.max(0, ...preDrop));

  if (c.capacityMode === 'off') {
    expect(keptOriginals).toBe(originals);
    expect(out.overflowPairs).toBe(0);
    expect(keptAdded).toBe(0);
  } else {
    if (c.capacityMode === 'expert') {
      for (const load of out.kept) ensure(load <= capacity, `an expert kept ${load} > C = ${capacity}`);
      expect(out.maxExpertLoadAfter).toBeLessThanOrEqual(capacity);
      expect(out.maxExpertLoadAfter).toBe(Math.max(0, ...out.kept));
    }
    const policy: DropPolicy = c.expandedDrop ? 'score' : c.dropPolicy;
    for (const group of capacityGroups(c, scratch)) checkPolicy(c, scratch, group, policy);
    // Capacity-Aware Eq. 11 on the pre-drop counts: Σ max(0, N − C) per expert (or per target device, n_l·C).
    let overflow = 0;
    if (c.capacityMode === 'expert') for (const load of preDrop) overflow += Math.max(0, load - capacity);
    else
      for (let device = 0; device < c.ep; device += 1) {
        let load = 0;
        for (let expert = device * local; expert < (device + 1) * local; expert += 1)
          load += preDrop[expert] ?? 0;
        overflow += Math.max(0, load - capacity * local);
      }
    expect(out.overflowPairs).toBe(overflow);
    if (expansion) {
      // Added pairs compete for the same slots, so at least the overflow of the top-k pairs is dropped.
      expect(droppedOriginals).toBeGreaterThanOrEqual(overflow);
      // The candidate set is exactly top-k ∪ local experts (Alg. 2).
      const candidates = new Int32Array(c.tokens);
      const localOriginals = new Int32Array(c.tokens);
      for (let pair = 0; pair < pairCount; pair += 1) {
        const token = scratch.pairToken[pair] ?? 0;
        const expert = scratch.pairExpert[pair] ?? 0;
        candidates[token]! += 1;
        if (scratch.pairOriginal[pair] && expert >= localStart && expert < localStart + local)
          localOriginals[token]! += 1;
      }
      for (let token = 0; token < c.tokens; token += 1)
        ensure(
          candidates[token] === c.topK + local - (localOriginals[token] ?? 0),
          `token ${token}: ${candidates[token]} candidates, not top-k ∪ local experts`,
        );
    } else {
      // Token Drop: the dropped fraction is exactly Eq. 11.
      expect(droppedOriginals).toBe(overflow);
    }
  }
  for (const value of out.probabilityMass) ensure(Number.isFinite(value) && value >= 0, `P mass ${value}`);
  expect(Number.isFinite(out.zLossSum)).toBe(true);
  return { out, scratch };
}

describe('routeDevice: every token-expert pair is kept or dropped, by the rules', () => {
  it('holds over random token-choice cases (gating, capacity, policy, Expanded Drop, profile, seed)', () => {
    fc.assert(
      fc.property(deviceCaseArbitrary(), (c) => {
        checkDevice(c);
      }),
      { numRuns: 2500 },
    );
  });

  it('holds where ties and many local experts are likely: noise 0, EP = 1, Expanded Drop, high γ', () => {
    fc.assert(
      fc.property(
        deviceCaseArbitrary().map((c) => ({
          ...c,
          noise: 0,
          visionFraction: 0,
          ep: 1,
          device: 0,
          expandedDrop: true,
          capacityMode: 'expert' as const,
          capacityFactor: 8,
        })),
        (c) => {
          checkDevice(c);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is deterministic and unaffected by reusing scratch buffers from a larger call', () => {
    fc.assert(
      fc.property(deviceCaseArbitrary(), deviceCaseArbitrary(), (c, other) => {
        const first = runDevice(c);
        const snapshot = {
          out: structuredClone(first.out),
          pairs: Array.from(first.scratch.pairExpert.subarray(0, first.scratch.pairCount)),
          kept: Array.from(first.scratch.pairKept.subarray(0, first.scratch.pairCount)),
        };
        // Dirty scratch: route another case first, then the same case again in its buffers.
        const dirty = runDevice(other).scratch;
        const again = runDevice(c, dirty);
        expect(again.out).toEqual(snapshot.out);
        expect(Array.from(again.scratch.pairExpert.subarray(0, again.scratch.pairCount))).toEqual(
          snapshot.pairs,
        );
        expect(Array.from(again.scratch.pairKept.subarray(0, again.scratch.pairCount))).toEqual(
          snapshot.kept,
        );
      }),
      { numRuns: 400 },
    );
  });
});

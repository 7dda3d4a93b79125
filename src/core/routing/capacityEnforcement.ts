import { mulberry32Output, mulberry32Step } from './seeds';
import { selectTopByScore } from './select';
import type { DeviceRoutingInput, DeviceRoutingOutput, RoutingScratch } from './routeDevice';
import type { DropPolicy } from './types';

// Capacity enforcement on one source device, after its tokens have chosen their experts (Capacity-Aware Inference
// §4, Alg. 1-2). Called once per device per layer, so the generator calls below are not on the per-score path.

/**
 * Groups pair indices by expert into `pool` (counting sort, stable in token order). Returns the per-expert offsets.
 * Non-null assertions (!) in the loops over pairs: indices are in range by construction; `?? 0` costs per pair.
 */
function groupByExpert(scratch: RoutingScratch, pairCount: number, experts: number): Int32Array {
  const { pairExpert, pool, offsets } = scratch;
  offsets.fill(0, 0, experts + 1);
  for (let pair = 0; pair < pairCount; pair += 1) offsets[pairExpert[pair]! + 1]! += 1;
  for (let expert = 0; expert < experts; expert += 1) offsets[expert + 1]! += offsets[expert]!;
  const cursor = offsets.slice(0, experts);
  for (let pair = 0; pair < pairCount; pair += 1) {
    const expert = pairExpert[pair]!;
    pool[cursor[expert]!] = pair;
    cursor[expert]! += 1;
  }
  return offsets;
}

/** Moves the `keep` pairs to keep to the front of pool[from, to), by the drop policy. */
function keepByPolicy(
  scratch: RoutingScratch,
  from: number,
  to: number,
  keep: number,
  policy: DropPolicy,
  seed: number,
): void {
  const { pool, pairScore, pairToken } = scratch;
  if (keep >= to - from) return;
  if (policy === 'score') selectTopByScore(pool, from, to, keep, pairScore, pairToken);
  else if (policy === 'reverse') {
    // Keep the last tokens: reverse the range so they come first.
    for (let left = from, right = to - 1; left < right; left += 1, right -= 1) {
      const swap = pool[left] ?? 0;
      pool[left] = pool[right] ?? 0;
      pool[right] = swap;
    }
  } else if (policy === 'random') {
    let state = seed | 0;
    for (let index = 0; index < keep; index += 1) {
      state = mulberry32Step(state);
      const pick = from + index + (mulberry32Output(state) % (to - from - index));
      const swap = pool[from + index] ?? 0;
      pool[from + index] = pool[pick] ?? 0;
      pool[pick] = swap;
    }
  }
  // 'order' (Switch): the earliest tokens are already first; later ones are dropped.
}

export function enforceCapacity(
  input: DeviceRoutingInput,
  scratch: RoutingScratch,
  out: DeviceRoutingOutput,
  pairCount: number,
  topK: number,
): void {
  const { experts, tokens, capacity, capacityMode, localExperts } = input;
  const { pairToken, pairExpert, pairOriginal, pool, keptPerToken } = scratch;
  const offsets = groupByExpert(scratch, pairCount, experts);
  const policy: DropPolicy = input.expandedDrop ? 'score' : input.dropPolicy;
  keptPerToken.fill(0, 0, tokens);
  let routedPairs = 0;
  let maxBefore = 0;
  for (let expert = 0; expert < experts; expert += 1) {
    let original = 0;
    const end = offsets[expert + 1]!;
    for (let index = offsets[expert]!; index < end; index += 1) original += pairOriginal[pool[index]!]!;
    out.preDrop[expert]! += original;
    routedPairs += original;
    if (original > maxBefore) maxBefore = original;
    if (capacityMode === 'expert') out.overflowPairs += Math.max(0, original - capacity);
  }
  if (capacityMode === 'device') {
    const devices = Math.max(1, Math.floor(experts / localExperts));
    for (let device = 0; device < devices; device += 1) {
      let original = 0;
      for (let expert = device * localExperts; expert < (device + 1) * localExperts; expert += 1) {
        for (let index = offsets[expert] ?? 0; index < (offsets[expert + 1] ?? 0); index += 1)
          original += pairOriginal[pool[index] ?? 0] ?? 0;
      }
      out.overflowPairs += Math.max(0, original - capacity * localExperts);
    }
  }
  out.routedPairs += routedPairs;
  out.maxExpertLoadBefore = Math.max(out.maxExpertLoadBefore, maxBefore);

  scratch.pairCount = pairCount;
  const pairKept = scratch.pairKept;
  pairKept.fill(0, 0, pairCount);
  const perExpertKept = new Int32Array(experts);
  if (capacityMode === 'device') {
    // Device-level capacity (Capacity-Aware §5.2): the limit n_l·C applies to the sum over each target device's experts.
    const devices = Math.max(1, Math.floor(experts / localExperts));
    for (let device = 0; device < devices; device += 1) {
      const from = offsets[device * localExperts]!;
      const to = offsets[(device + 1) * localExperts]!;
      const keep = Math.min(to - from, capacity * localExperts);
      // The range is grouped by expert; Order/Reverse drop by token position, so put it back in pair (token) order.
      if ((policy === 'order' || policy === 'reverse') && keep < to - from) pool.subarray(from, to).sort();
      keepByPolicy(scratch, from, to, keep, policy, input.seed ^ (device * 0x51ed27));
      for (let index = from; index < from + keep; index += 1) pairKept[pool[index]!] = 1;
    }
  } else {
    for (let expert = 0; expert < experts; expert += 1) {
      const from = offsets[expert]!;
      const to = offsets[expert + 1]!;
      const keep = capacityMode === 'off' ? to - from : Math.min(to - from, capacity);
      keepByPolicy(scratch, from, to, keep, policy, input.seed ^ (expert * 0x51ed27));
      for (let index = from; index < from + keep; index += 1) pairKept[pool[index]!] = 1;
    }
  }
  // Tally the pairs in one pass: kept per expert and per token, those Expanded Drop added, and their gate weights.
  const pairWeight = scratch.pairWeight;
  let keptPairs = 0;
  let addedPairs = 0;
  let routedWeight = 0;
  let keptWeight = 0;
  let droppedWeight = 0;
  for (let pair = 0; pair < pairCount; pair += 1) {
    const weight = pairWeight[pair]!;
    const original = pairOriginal[pair]!;
    routedWeight += original * weight;
    if (pairKept[pair] === 0) {
      droppedWeight += original * weight;
      continue;
    }
    perExpertKept[pairExpert[pair]!]! += 1;
    keptPerToken[pairToken[pair]!]! += 1;
    keptPairs += 1;
    addedPairs += 1 - original;
    keptWeight += weight;
  }
  out.keptPairs += keptPairs;
  out.addedPairs += addedPairs;
  out.routedGateWeight += routedWeight;
  out.keptGateWeight += keptWeight;
  out.droppedGateWeight += droppedWeight;
  let maxAfter = 0;
  for (let expert = 0; expert < experts; expert += 1) {
    out.kept[expert]! += perExpertKept[expert]!;
    if (perExpertKept[expert]! > maxAfter) maxAfter = perExpertKept[expert]!;
  }
  out.maxExpertLoadAfter = Math.max(out.maxExpertLoadAfter, maxAfter);
  if (topK > 0)
    for (let token = 0; token < tokens; token += 1)
      if (keptPerToken[token] === 0) out.tokensWithNoExpert += 1;
}

/** Expert choice (Zhou et al. 2022): each expert takes its C highest-probability tokens; a token may get none or many. */
export function routeExpertChoice(
  input: DeviceRoutingInput,
  scratch: RoutingScratch,
  out: DeviceRoutingOutput,
  probabilities: Float32Array,
): void {
  const { tokens, experts, capacity } = input;
  const { pool, pairToken, pairScore, keptPerToken } = scratch;
  keptPerToken.fill(0, 0, tokens);
  const keep = Math.min(tokens, capacity);
  for (let expert = 0; expert < experts; expert += 1) {
    for (let token = 0; token < tokens; token += 1) {
      pool[token] = token;
      pairToken[token] = token;
      pairScore[token] = probabilities[token * experts + expert] ?? 0;
    }
    selectTopByScore(pool, 0, tokens, keep, pairScore, pairToken);
    let weight = 0;
    for (let index = 0; index < keep; index += 1) {
      keptPerToken[pool[index] ?? 0] = (keptPerToken[pool[index] ?? 0] ?? 0) + 1;
      // Expert choice weights a chosen token by its router probability (Zhou et al. 2022, §3.1); nothing is dropped.
      weight += pairScore[pool[index] ?? 0] ?? 0;
    }
    out.routedGateWeight += weight;
    out.keptGateWeight += weight;
    out.preDrop[expert] = (out.preDrop[expert] ?? 0) + keep;
    out.kept[expert] = (out.kept[expert] ?? 0) + keep;
  }
  out.routedPairs += keep * experts;
  out.keptPairs += keep * experts;
  out.maxExpertLoadBefore = Math.max(out.maxExpertLoadBefore, keep);
  out.maxExpertLoadAfter = Math.max(out.maxExpertLoadAfter, keep);
  for (let token = 0; token < tokens; token += 1) if (keptPerToken[token] === 0) out.tokensWithNoExpert += 1;
}

import { log } from '../portableMath';
import { NORMAL_TABLE_BITS, NORMAL_TABLE_SIZE } from './normalTable';

const TABLE_MASK = NORMAL_TABLE_SIZE - 1;
import { enforceCapacity, routeExpertChoice } from './capacityEnforcement';
import type { CapacityMode, DropPolicy, GatingKind } from './types';

// mulberry32 (see src/core/random.ts), inlined here: hot loops must not call across modules, which some module
// transforms (tsx's, used by the CLI and benchmarks) turn into getter calls that V8 cannot inline (~9× slower).
function nextState(state: number): number {
  return (state + 0x6d2b79f5) | 0;
}

function output(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/**
 * Draws e^{x_i} for every expert of one token (two 12-bit table indices per 32-bit draw) and collects, without
 * branching, the experts above `prefilter`. Returns the generator state; writes the partition Σ e^{x} and the
 * candidate count into `result`. Kept small and separate so the JIT optimises it as a unit.
 */
function drawScores(
  startState: number,
  experts: number,
  bias: Float64Array,
  expNoise: Float32Array,
  unnormalised: Float64Array,
  candidates: Int32Array,
  prefilter: number,
  result: { partition: number; candidateCount: number },
): number {
  let state = startState;
  let partition = 0;
  let count = 0;
  for (let expert = 0; expert + 1 < experts; expert += 2) {
    state = nextState(state);
    const bits = output(state);
    const first = bias[expert]! * expNoise[bits & TABLE_MASK]!;
    const second = bias[expert + 1]! * expNoise[(bits >>> NORMAL_TABLE_BITS) & TABLE_MASK]!;
    unnormalised[expert] = first;
    unnormalised[expert + 1] = second;
    partition += first + second;
    candidates[count] = expert;
    count += +(first > prefilter);
    candidates[count] = expert + 1;
    count += +(second > prefilter);
  }
  if (experts % 2 === 1) {
    state = nextState(state);
    const last = bias[experts - 1]! * expNoise[output(state) & TABLE_MASK]!;
    unnormalised[experts - 1] = last;
    partition += last;
    candidates[count] = experts - 1;
    count += +(last > prefilter);
  }
  result.partition = partition;
  result.candidateCount = count;
  return state;
}

/**
 * Picks the top-k of the candidates by e^{x} into `chosen`, largest first. Exact: experts that are not candidates
 * are below the prefilter; when fewer than k passed it, every expert is scanned. Returns how many were chosen.
 */
function selectTopK(
  candidateCount: number,
  experts: number,
  topK: number,
  values: Float64Array,
  candidates: Int32Array,
  chosen: Int32Array,
): number {
  let count = candidateCount;
  if (count < topK) {
    count = experts;
    for (let expert = 0; expert < experts; expert += 1) candidates[expert] = expert;
  }
  let selected = 0;
  for (let index = 0; index < count; index += 1) {
    const expert = candidates[index]!;
    const value = values[expert]!;
    if (selected === topK && value <= values[chosen[topK - 1]!]!) continue;
    let position = selected < topK ? selected++ : topK - 1;
    while (position > 0 && values[chosen[position - 1]!]! < value) {
      chosen[position] = chosen[position - 1]!;
      position -= 1;
    }
    chosen[position] = expert;
  }
  return selected;
}

/** Everything one source device needs to route one layer's batch. Buffers are reused across calls. */
export interface DeviceRoutingInput {
  tokens: number;
  experts: number;
  topK: number;
  gating: GatingKind;
  groups: number;
  topkGroups: number;
  /** e^{bias} per expert for text and for vision tokens (the popularity profile, plus the vision bonus). */
  expBiasText: Float64Array;
  expBiasVision: Float64Array;
  /** e^{σ·z} over the normal quantile table. */
  expNoise: Float32Array;
  visionFraction: number;
  seed: number;
  /** This device's local experts: [localStart, localStart + localExperts). */
  localStart: number;
  localExperts: number;
  capacityMode: CapacityMode;
  /** Per-expert capacity C (expert mode) or per-expert share of the device limit (device mode); ignored when off. */
  capacity: number;
  dropPolicy: DropPolicy;
  expandedDrop: boolean;
}

/** What one device's routing adds to its layer's totals. Arrays are per expert, accumulated with +=. */
export interface DeviceRoutingOutput {
  preDrop: Int32Array;
  kept: Int32Array;
  /** Σ_t prob_{t,i}: the router's mean probability mass per expert, before dividing by tokens (Switch P_i). */
  probabilityMass: Float64Array;
  overflowPairs: number;
  routedPairs: number;
  keptPairs: number;
  addedPairs: number;
  tokensWithNoExpert: number;
  /** Σ_t (log Σ_i e^{x_{t,i}})² for the z-loss. */
  zLossSum: number;
  maxExpertLoadBefore: number;
  maxExpertLoadAfter: number;
}

export interface RoutingScratch {
  pairToken: Int32Array;
  pairExpert: Int32Array;
  pairScore: Float32Array;
  pairOriginal: Uint8Array;
  /** After a call: 1 for each pair [0, pairCount) that was kept. Lets tests check exactly which pairs survived. */
  pairKept: Uint8Array;
  pairCount: number;
  pool: Int32Array;
  offsets: Int32Array;
  /** Kept pairs per token: Int32, as Expanded Drop and expert choice can give one token hundreds of experts. */
  keptPerToken: Int32Array;
  unnormalised: Float64Array;
  chosen: Int32Array;
  groupScore: Float64Array;
  candidates: Int32Array;
  allProbabilities: Float32Array;
}

/** τ = this × the previous token's k-th e^{x}: low enough that ≥ k experts almost always pass (else a full scan). */
const PREFILTER_MARGIN = 0.6;

function grow<T extends Int32Array | Float32Array | Uint8Array | Float64Array>(
  buffer: T | undefined,
  length: number,
  make: (n: number) => T,
): T {
  return buffer && buffer.length >= length ? buffer : make(length);
}

/** Scratch buffers sized for the largest call so far; routing a layer allocates nothing per token. */
export function ensureScratch(
  scratch: Partial<RoutingScratch>,
  tokens: number,
  experts: number,
  topK: number,
  localExperts: number,
  expertChoice = false,
): RoutingScratch {
  // Token choice makes at most k + (Expanded Drop's) local-expert pairs per token; expert choice reuses the pair
  // buffers one expert at a time, so needs T of them.
  const pairs = Math.max(tokens * (topK + localExperts), expertChoice ? tokens : 0);
  scratch.pairToken = grow(scratch.pairToken, pairs, (n) => new Int32Array(n));
  scratch.pairExpert = grow(scratch.pairExpert, pairs, (n) => new Int32Array(n));
  scratch.pairScore = grow(scratch.pairScore, pairs, (n) => new Float32Array(n));
  scratch.pairOriginal = grow(scratch.pairOriginal, pairs, (n) => new Uint8Array(n));
  scratch.pairKept = grow(scratch.pairKept, pairs, (n) => new Uint8Array(n));
  scratch.pairCount = 0;
  scratch.pool = grow(scratch.pool, pairs, (n) => new Int32Array(n));
  scratch.offsets = grow(scratch.offsets, experts + 1, (n) => new Int32Array(n));
  scratch.keptPerToken = grow(scratch.keptPerToken, tokens, (n) => new Int32Array(n));
  scratch.unnormalised = grow(scratch.unnormalised, experts, (n) => new Float64Array(n));
  scratch.chosen = grow(scratch.chosen, Math.max(experts, topK), (n) => new Int32Array(n));
  scratch.groupScore = grow(scratch.groupScore, experts, (n) => new Float64Array(n));
  scratch.candidates = grow(scratch.candidates, experts + 1, (n) => new Int32Array(n));
  return scratch as RoutingScratch;
}

/**
 * Routes one layer's batch on one source device: draws router logits x_{t,i} = log-popularity_i (+ vision bonus)
 * + σ·z, gates them, then enforces capacity on this device's own tokens before dispatch (Capacity-Aware
 * Inference §4), with Token Drop (Alg. 1) or Expanded Drop (Alg. 2). Adds its counts to `out`.
 */
export function routeDevice(
  input: DeviceRoutingInput,
  scratch: RoutingScratch,
  out: DeviceRoutingOutput,
): void {
  const { tokens, experts, gating, expBiasText, expBiasVision, expNoise, localStart, localExperts } = input;
  const topK = gating === 'expert-choice' ? 0 : Math.min(input.topK, experts);
  const { pairToken, pairExpert, pairScore, pairOriginal, unnormalised, chosen, groupScore } = scratch;
  const sigmoid = gating === 'sigmoid-topk-norm' || gating === 'group-limited';
  const visionThreshold = Math.floor(input.visionFraction * 4294967296);
  const groupSize = Math.max(1, Math.floor(experts / Math.max(1, input.groups)));
  const groupCount = Math.max(1, Math.floor(experts / groupSize));
  const expertChoice = gating === 'expert-choice';
  if (expertChoice)
    scratch.allProbabilities = grow(scratch.allProbabilities, tokens * experts, (n) => new Float32Array(n));
  const allProbabilities = scratch.allProbabilities;
  let state = input.seed | 0;
  let pairCount = 0;
  let zLossSum = 0;
  let prefilter = 0;
  const candidates = scratch.candidates;
  const tokenDraw = { partition: 0, candidateCount: 0 };

  const probabilityMass = out.probabilityMass;
  const simpleTopK = gating !== 'hash' && gating !== 'group-limited' && !expertChoice;
  // Non-null assertions (!) in this loop: indices are in range by construction, and `?? 0` costs time per score.
  for (let token = 0; token < tokens; token += 1) {
    state = nextState(state);
    const bias = output(state) < visionThreshold ? expBiasVision : expBiasText;
    state = drawScores(state, experts, bias, expNoise, unnormalised, candidates, prefilter, tokenDraw);
    const partition = tokenDraw.partition;
    let selected = 0;
    if (simpleTopK) {
      selected = selectTopK(tokenDraw.candidateCount, experts, topK, unnormalised, candidates, chosen);
      prefilter = selected === topK ? PREFILTER_MARGIN * unnormalised[chosen[topK - 1]!]! : 0;
    }
    const logPartition = log(partition);
    zLossSum += logPartition * logPartition; // ST-MoE router z-loss term (log Σ e^{x})²
    // Gate probability: softmax p_i = e^{x_i}/Σ e^{x}; sigmoid s_i = e^{x_i}/(1 + e^{x_i}), normalised for P_i.
    if (sigmoid) {
      let sigmoidSum = 0;
      for (let expert = 0; expert < experts; expert += 1)
        sigmoidSum += unnormalised[expert]! / (1 + unnormalised[expert]!);
      for (let expert = 0; expert < experts; expert += 1)
        probabilityMass[expert]! += unnormalised[expert]! / (1 + unnormalised[expert]!) / sigmoidSum;
    } else {
      const inversePartition = 1 / partition;
      for (let expert = 0; expert < experts; expert += 1)
        probabilityMass[expert]! += unnormalised[expert]! * inversePartition;
    }
    if (expertChoice && allProbabilities) {
      for (let expert = 0; expert < experts; expert += 1) {
        const value = unnormalised[expert]!;
        allProbabilities[token * experts + expert] = sigmoid ? value / (1 + value) : value / partition;
      }
      continue;
    }

    if (gating === 'hash') {
      // Hash routing (Roller et al. 2021): experts fixed by hashing the token, independent of the router.
      let hash = Math.imul(token + 1, 0x9e3779b1) ^ input.seed;
      while (selected < topK) {
        hash = Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d);
        hash = Math.imul(hash ^ (hash >>> 12), 0x297a2d39);
        const expert = ((hash ^ (hash >>> 15)) >>> 0) % experts;
        let duplicate = false;
        for (let index = 0; index < selected; index += 1) if (chosen[index] === expert) duplicate = true;
        if (!duplicate) chosen[selected++] = expert;
      }
    } else if (gating === 'group-limited') {
      let allowedGroups = -1;
      if (input.topkGroups < groupCount) {
        // DeepSeek-V3 node-limited routing: a group's score is the sum of its two highest affinities; keep topk_group groups.
        for (let group = 0; group < groupCount; group += 1) {
          let best = 0;
          let second = 0;
          for (let expert = group * groupSize; expert < (group + 1) * groupSize; expert += 1) {
            const affinity = unnormalised[expert]! / (1 + unnormalised[expert]!);
            if (affinity > best) {
              second = best;
              best = affinity;
            } else if (affinity > second) second = affinity;
          }
          groupScore[group] = best + second;
        }
        allowedGroups = 0;
        for (let pick = 0; pick < input.topkGroups; pick += 1) {
          let bestGroup = -1;
          for (let group = 0; group < groupCount; group += 1) {
            if (allowedGroups & (1 << group)) continue;
            if (bestGroup < 0 || groupScore[group]! > groupScore[bestGroup]!) bestGroup = group;
          }
          allowedGroups |= 1 << bestGroup;
        }
      }
      let threshold = -1;
      for (let expert = 0; expert < experts; expert += 1) {
        const value = unnormalised[expert]!;
        if (value <= threshold) continue;
        if (allowedGroups !== -1 && !(allowedGroups & (1 << Math.floor(expert / groupSize)))) continue;
        let position = selected < topK ? selected++ : topK - 1;
        while (position > 0 && unnormalised[chosen[position - 1]!]! < value) {
          chosen[position] = chosen[position - 1]!;
          position -= 1;
        }
        chosen[position] = expert;
        if (selected === topK) threshold = unnormalised[chosen[topK - 1]!]!;
      }
    }
    for (let index = 0; index < selected; index += 1) {
      const expert = chosen[index]!;
      const value = unnormalised[expert]!;
      pairToken[pairCount] = token;
      pairExpert[pairCount] = expert;
      pairScore[pairCount] = sigmoid ? value / (1 + value) : value / partition;
      pairOriginal[pairCount] = 1;
      pairCount += 1;
    }
    if (input.expandedDrop && input.capacityMode !== 'off') {
      // Expanded Drop (Capacity-Aware Alg. 2): every local expert is also a candidate; no extra communication.
      for (let expert = localStart; expert < localStart + localExperts; expert += 1) {
        let isTopK = false;
        for (let index = 0; index < selected; index += 1) if (chosen[index] === expert) isTopK = true;
        if (isTopK) continue;
        const value = unnormalised[expert]!;
        pairToken[pairCount] = token;
        pairExpert[pairCount] = expert;
        pairScore[pairCount] = sigmoid ? value / (1 + value) : value / partition;
        pairOriginal[pairCount] = 0;
        pairCount += 1;
      }
    }
  }
  out.zLossSum += zLossSum;

  if (expertChoice && allProbabilities) {
    routeExpertChoice(input, scratch, out, allProbabilities);
    return;
  }
  enforceCapacity(input, scratch, out, pairCount, topK);
}

import { log } from '../portableMath';
import { groupScoreRuleOf, renormalisesTopK, usesSigmoidGates } from './gatingKinds';
import { selectGroupLimited, type GroupScratch } from './groupLimited';
import { enforceCapacity, routeExpertChoice } from './capacityEnforcement';
import {
  addProbabilityMass,
  drawSigmoidGates,
  drawSoftmaxGates,
  nextState,
  output,
  selectTopK,
  type GateBuffers,
  type TokenDraw,
} from './gateDraw';
import type { CapacityMode, DropPolicy, GatingKind } from './types';

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
  /**
   * Gate weight: what each token-expert pair's output is multiplied by when the token's outputs are combined. Summed
   * over the router's top-k pairs, over kept pairs (with Expanded Drop's additions) and over dropped top-k pairs.
   */
  routedGateWeight: number;
  keptGateWeight: number;
  droppedGateWeight: number;
  maxExpertLoadBefore: number;
  maxExpertLoadAfter: number;
}

export interface RoutingScratch extends GroupScratch {
  pairToken: Int32Array;
  pairExpert: Int32Array;
  pairScore: Float32Array;
  /** The pair's gate weight (see DeviceRoutingOutput.routedGateWeight). */
  pairWeight: Float32Array;
  pairOriginal: Uint8Array;
  /** After a call: 1 for each pair [0, pairCount) that was kept. Lets tests check exactly which pairs survived. */
  pairKept: Uint8Array;
  pairCount: number;
  pool: Int32Array;
  offsets: Int32Array;
  /** Kept pairs per token: Int32, as Expanded Drop and expert choice can give one token hundreds of experts. */
  keptPerToken: Int32Array;
  /** Gate per expert for the current token, and the previous token's (double-buffered; see gateDraw.ts). */
  gates: Float64Array;
  previousGates: Float64Array;
  chosen: Int32Array;
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
  scratch.pairWeight = grow(scratch.pairWeight, pairs, (n) => new Float32Array(n));
  scratch.pairOriginal = grow(scratch.pairOriginal, pairs, (n) => new Uint8Array(n));
  scratch.pairKept = grow(scratch.pairKept, pairs, (n) => new Uint8Array(n));
  scratch.pairCount = 0;
  scratch.pool = grow(scratch.pool, pairs, (n) => new Int32Array(n));
  scratch.offsets = grow(scratch.offsets, experts + 1, (n) => new Int32Array(n));
  scratch.keptPerToken = grow(scratch.keptPerToken, tokens, (n) => new Int32Array(n));
  scratch.gates = grow(scratch.gates, experts, (n) => new Float64Array(n));
  scratch.previousGates = grow(scratch.previousGates, experts, (n) => new Float64Array(n));
  scratch.chosen = grow(scratch.chosen, Math.max(experts, topK), (n) => new Int32Array(n));
  scratch.groupBest = grow(scratch.groupBest, experts, (n) => new Float64Array(n));
  scratch.groupSecond = grow(scratch.groupSecond, experts, (n) => new Float64Array(n));
  scratch.groupCandidates = grow(scratch.groupCandidates, experts, (n) => new Int32Array(n));
  scratch.chosenGates = grow(scratch.chosenGates, Math.max(experts, topK), (n) => new Float64Array(n));
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
  const { tokens, experts, gating, expBiasText, expBiasVision, localStart, localExperts } = input;
  const topK = gating === 'expert-choice' ? 0 : Math.min(input.topK, experts);
  const { pairToken, pairExpert, pairScore, pairWeight, pairOriginal, chosen, chosenGates } = scratch;
  const sigmoid = usesSigmoidGates(gating);
  const renormalise = renormalisesTopK(gating);
  const groupScoreRule = groupScoreRuleOf(gating);
  const visionThreshold = Math.floor(input.visionFraction * 4294967296);
  const groupSize = Math.max(1, Math.floor(experts / Math.max(1, input.groups)));
  const groupCount = Math.max(1, Math.floor(experts / groupSize));
  const groupLayout = {
    groupSize,
    groupCount,
    topkGroups: input.topkGroups,
    scoreRule: groupScoreRule ?? 'top-two-sum',
  };
  const expertChoice = gating === 'expert-choice';
  if (expertChoice)
    scratch.allProbabilities = grow(scratch.allProbabilities, tokens * experts, (n) => new Float32Array(n));
  const allProbabilities = scratch.allProbabilities;
  let state = input.seed | 0;
  let pairCount = 0;
  let zLossSum = 0;
  const candidates = scratch.candidates;
  const tokenDraw: TokenDraw = { partition: 0, gateSum: 0, candidateCount: 0 };
  const buffers: GateBuffers = {
    bias: expBiasText,
    expNoise: input.expNoise,
    gates: scratch.gates,
    previousGates: scratch.previousGates,
    previousScale: 0,
    probabilityMass: out.probabilityMass,
    candidates,
    prefilter: 0,
  };
  const simpleTopK = gating !== 'hash' && groupScoreRule === null && !expertChoice;
  for (let token = 0; token < tokens; token += 1) {
    state = nextState(state);
    buffers.bias = output(state) < visionThreshold ? expBiasVision : expBiasText;
    // Gates: softmax g_i = e^{x_i}, probability g_i/Σ e^{x}; sigmoid g_i = σ(x_i), probability g_i/Σ g (for P_i).
    state = sigmoid
      ? drawSigmoidGates(state, experts, buffers, tokenDraw)
      : drawSoftmaxGates(state, experts, buffers, tokenDraw);
    const gates = buffers.gates;
    buffers.previousGates = gates;
    buffers.gates = gates === scratch.gates ? scratch.previousGates : scratch.gates;
    buffers.previousScale = 1 / tokenDraw.gateSum;
    const partition = tokenDraw.partition;
    /** A pair's score: the router probability (softmax) or the sigmoid gate itself (DeepSeek-V3). */
    const scoreDivisor = sigmoid ? 1 : partition;
    let selected = 0;
    if (simpleTopK) {
      selected = selectTopK(tokenDraw.candidateCount, experts, topK, gates, candidates, chosen, chosenGates);
      buffers.prefilter = selected === topK ? PREFILTER_MARGIN * gates[chosen[topK - 1]!]! : 0;
    }
    const logPartition = log(partition);
    zLossSum += logPartition * logPartition; // ST-MoE router z-loss term (log Σ e^{x})²
    if (expertChoice && allProbabilities) {
      for (let expert = 0; expert < experts; expert += 1)
        allProbabilities[token * experts + expert] = gates[expert]! / scoreDivisor;
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
    } else if (groupScoreRule !== null) {
      selected = selectGroupLimited(
        groupLayout,
        experts,
        topK,
        gates,
        candidates,
        tokenDraw.candidateCount,
        chosen,
        scratch,
      );
      buffers.prefilter = selected === topK ? PREFILTER_MARGIN * gates[chosen[topK - 1]!]! : 0;
    }
    // Gate weights: the scores themselves, or divided by the sum of the top-k scores (renormalised top-k). Hash
    // routing has no router weights, so its k experts count equally (Roller et al. 2021 use one expert's output as is).
    let topKScoreSum = 0;
    for (let index = 0; index < selected; index += 1) topKScoreSum += gates[chosen[index]!]! / scoreDivisor;
    const weightPerScore = renormalise && topKScoreSum > 0 ? 1 / topKScoreSum : 1;
    for (let index = 0; index < selected; index += 1) {
      const expert = chosen[index]!;
      const score = gates[expert]! / scoreDivisor;
      pairToken[pairCount] = token;
      pairExpert[pairCount] = expert;
      pairScore[pairCount] = score;
      pairWeight[pairCount] = gating === 'hash' ? 1 / selected : score * weightPerScore;
      pairOriginal[pairCount] = 1;
      pairCount += 1;
    }
    if (input.expandedDrop && input.capacityMode !== 'off') {
      // Expanded Drop (Capacity-Aware Alg. 2): every local expert is also a candidate; no extra communication.
      for (let expert = localStart; expert < localStart + localExperts; expert += 1) {
        let isTopK = false;
        for (let index = 0; index < selected; index += 1) if (chosen[index] === expert) isTopK = true;
        if (isTopK) continue;
        const score = gates[expert]! / scoreDivisor;
        pairToken[pairCount] = token;
        pairExpert[pairCount] = expert;
        pairScore[pairCount] = score;
        // An added expert is weighted by its own score on the same scale as the token's top-k (Alg. 2 adds no rule).
        pairWeight[pairCount] = gating === 'hash' ? 1 / Math.max(1, selected) : score * weightPerScore;
        pairOriginal[pairCount] = 0;
        pairCount += 1;
      }
    }
  }
  if (tokens > 0)
    addProbabilityMass(experts, buffers.previousGates, buffers.previousScale, out.probabilityMass);
  out.zLossSum += zLossSum;

  if (expertChoice && allProbabilities) {
    routeExpertChoice(input, scratch, out, allProbabilities);
    return;
  }
  enforceCapacity(input, scratch, out, pairCount, topK);
}

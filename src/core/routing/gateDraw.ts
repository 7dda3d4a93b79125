import { NORMAL_TABLE_BITS, NORMAL_TABLE_SIZE } from './normalTable';

// The per-score loops of routing: 4.2 million scores for one DeepSeek-V3 prefill layer, so everything here is written
// for V8's optimiser. The generator is mulberry32 (src/core/random.ts), inlined: hot loops must not call across
// modules, which some module transforms (tsx's, used by the CLI and benchmarks) turn into getter calls that V8
// cannot inline (~9× slower). Non-null assertions (!) are used because indices are in range by construction and
// `?? 0` costs time per score.

const TABLE_MASK = NORMAL_TABLE_SIZE - 1;

export function nextState(state: number): number {
  return (state + 0x6d2b79f5) | 0;
}

export function output(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/** What drawing one token's gates found, besides the gates themselves. */
export interface TokenDraw {
  /** Σ_i e^{x_i}: the softmax partition, also needed for the router z-loss. */
  partition: number;
  /** Σ_i g_i: what the gates are divided by to give router probabilities (the partition, for softmax). */
  gateSum: number;
  /** How many experts passed the prefilter into `candidates`. */
  candidateCount: number;
}

/** Where one token's gates go, and the previous token's gates still to be added to the probability mass. */
export interface GateBuffers {
  bias: Float64Array;
  expNoise: Float32Array;
  /** This token's gate per expert (written). */
  gates: Float64Array;
  /** The previous token's gates, and 1/(their sum): added to `probabilityMass` in the same pass (0 for none). */
  previousGates: Float64Array;
  previousScale: number;
  probabilityMass: Float64Array;
  candidates: Int32Array;
  /** Experts with a gate above this are top-k candidates. */
  prefilter: number;
}

/**
 * Softmax gates: g_i = e^{x_i} = e^{bias_i}·e^{σ z_i} (two 12-bit noise-table indices per 32-bit draw). In the same
 * pass, adds the previous token's probabilities to the probability mass (one pass over the experts instead of two;
 * it is the cost that dominates after the draws themselves) and collects, without branching, the candidates above
 * the prefilter. Returns the generator state.
 */
export function drawSoftmaxGates(
  startState: number,
  experts: number,
  buffers: GateBuffers,
  result: TokenDraw,
): number {
  const { bias, expNoise, gates, previousGates, previousScale, probabilityMass, candidates, prefilter } =
    buffers;
  let state = startState | 0; // int32 from the start, so V8 steps the generator with integer adds (~10% faster)
  let partition = 0;
  let count = 0;
  let expert = 0;
  for (; expert + 1 < experts; expert += 2) {
    state = nextState(state);
    const bits = output(state);
    const first = bias[expert]! * expNoise[bits & TABLE_MASK]!;
    const second = bias[expert + 1]! * expNoise[(bits >>> NORMAL_TABLE_BITS) & TABLE_MASK]!;
    probabilityMass[expert] = probabilityMass[expert]! + previousGates[expert]! * previousScale;
    probabilityMass[expert + 1] = probabilityMass[expert + 1]! + previousGates[expert + 1]! * previousScale;
    gates[expert] = first;
    gates[expert + 1] = second;
    partition += first + second;
    candidates[count] = expert;
    count += +(first > prefilter);
    candidates[count] = expert + 1;
    count += +(second > prefilter);
  }
  if (expert < experts) {
    state = nextState(state);
    const last = bias[expert]! * expNoise[output(state) & TABLE_MASK]!;
    probabilityMass[expert] = probabilityMass[expert]! + previousGates[expert]! * previousScale;
    gates[expert] = last;
    partition += last;
    candidates[count] = expert;
    count += +(last > prefilter);
  }
  result.partition = partition;
  result.gateSum = partition;
  result.candidateCount = count;
  return state;
}

/**
 * Sigmoid gates (DeepSeek-V3): g_i = σ(x_i) = e^{x_i}/(1 + e^{x_i}), from the same draws as the softmax; router
 * probabilities are the gates normalised over all experts. Otherwise as drawSoftmaxGates.
 */
export function drawSigmoidGates(
  startState: number,
  experts: number,
  buffers: GateBuffers,
  result: TokenDraw,
): number {
  const { bias, expNoise, gates, previousGates, previousScale, probabilityMass, candidates, prefilter } =
    buffers;
  let state = startState | 0; // int32 from the start, so V8 steps the generator with integer adds (~10% faster)
  let partition = 0;
  let gateSum = 0;
  let count = 0;
  let expert = 0;
  // Unrolled by the draw, as drawSoftmaxGates: each expert's sum is added in the same order as one at a time.
  for (; expert + 1 < experts; expert += 2) {
    state = nextState(state);
    const bits = output(state);
    const firstExponential = bias[expert]! * expNoise[bits & TABLE_MASK]!;
    const secondExponential = bias[expert + 1]! * expNoise[(bits >>> NORMAL_TABLE_BITS) & TABLE_MASK]!;
    const first = firstExponential / (1 + firstExponential);
    const second = secondExponential / (1 + secondExponential);
    probabilityMass[expert] = probabilityMass[expert]! + previousGates[expert]! * previousScale;
    probabilityMass[expert + 1] = probabilityMass[expert + 1]! + previousGates[expert + 1]! * previousScale;
    gates[expert] = first;
    gates[expert + 1] = second;
    partition = partition + firstExponential + secondExponential;
    gateSum = gateSum + first + second;
    candidates[count] = expert;
    count += +(first > prefilter);
    candidates[count] = expert + 1;
    count += +(second > prefilter);
  }
  if (expert < experts) {
    state = nextState(state);
    const exponential = bias[expert]! * expNoise[output(state) & TABLE_MASK]!;
    const gate = exponential / (1 + exponential);
    probabilityMass[expert] = probabilityMass[expert]! + previousGates[expert]! * previousScale;
    gates[expert] = gate;
    partition += exponential;
    gateSum += gate;
    candidates[count] = expert;
    count += +(gate > prefilter);
  }
  result.partition = partition;
  result.gateSum = gateSum;
  result.candidateCount = count;
  return state;
}

/** Adds one token's probabilities (gates × scale) to the probability mass: the last token, after the loop. */
export function addProbabilityMass(
  experts: number,
  gates: Float64Array,
  scale: number,
  mass: Float64Array,
): void {
  for (let expert = 0; expert < experts; expert += 1) mass[expert] = mass[expert]! + gates[expert]! * scale;
}

/**
 * Picks the top-k of the candidates by gate into `chosen`, largest first (ties: lower expert first), and their gates
 * into `chosenGates` (compared there, so the insertion reads no gate through `chosen`). Exact: experts that are not
 * candidates are below the prefilter; when fewer than k passed it, every expert is scanned. With an `allowed` group
 * mask (group-limited routing), experts outside those groups are skipped. Returns how many were chosen.
 */
export function selectTopK(
  candidateCount: number,
  experts: number,
  topK: number,
  gates: Float64Array,
  candidates: Int32Array,
  chosen: Int32Array,
  chosenGates: Float64Array,
  groupSize = 1,
  allowed = -1,
): number {
  let count = candidateCount;
  if (count < topK) {
    count = experts;
    for (let expert = 0; expert < experts; expert += 1) candidates[expert] = expert;
  }
  const last = topK - 1;
  let selected = 0;
  // The k-th gate so far once k are chosen (until then -∞, so every candidate is inserted).
  let threshold = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < count; index += 1) {
    const expert = candidates[index]!;
    const value = gates[expert]!;
    if (value <= threshold) continue;
    if (allowed !== -1 && !(allowed & (1 << Math.floor(expert / groupSize)))) continue;
    let position = selected < topK ? selected++ : last;
    while (position > 0 && chosenGates[position - 1]! < value) {
      chosen[position] = chosen[position - 1]!;
      chosenGates[position] = chosenGates[position - 1]!;
      position -= 1;
    }
    chosen[position] = expert;
    chosenGates[position] = value;
    if (selected === topK) threshold = chosenGates[last]!;
  }
  return selected;
}

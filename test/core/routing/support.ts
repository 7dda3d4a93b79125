import fc from 'fast-check';
import { MODEL_PRESETS } from '../../../src/core/catalog/models';
import { expertCapacity } from '../../../src/core/routing/capacity';
import { expNoiseTable } from '../../../src/core/routing/normalTable';
import {
  popularityMagnitudes,
  routerExpBiases,
  visionHeavyExperts,
} from '../../../src/core/routing/popularity';
import {
  ensureScratch,
  routeDevice,
  type DeviceRoutingInput,
  type DeviceRoutingOutput,
  type RoutingScratch,
} from '../../../src/core/routing/routeDevice';
import type { CapacityMode, DropPolicy, GatingKind } from '../../../src/core/routing/types';

/** Expert counts of the published presets (8 … 256), plus odd and awkward ones drawn at random. */
export const PRESET_EXPERTS = [...new Set(MODEL_PRESETS.map((preset) => preset.architecture.experts))];

export function divisors(n: number, limit = n): number[] {
  const result: number[] = [];
  for (let candidate = 1; candidate <= Math.min(n, limit); candidate += 1)
    if (n % candidate === 0) result.push(candidate);
  return result;
}

export type TokenChoiceGating = Exclude<GatingKind, 'expert-choice'>;
export const TOKEN_CHOICE_GATINGS: readonly TokenChoiceGating[] = [
  'softmax-topk',
  'softmax-topk-norm',
  'sigmoid-topk-norm',
  'group-limited',
  'softmax-group-limited',
  'hash',
];

/** Everything that defines one device's routing call, drawn at random but always a combination the app allows. */
export interface DeviceCase {
  tokens: number;
  experts: number;
  topK: number;
  gating: GatingKind;
  groups: number;
  topkGroups: number;
  profile: 'uniform' | 'zipf' | 'olmoe';
  zipfExponent: number;
  noise: number;
  visionFraction: number;
  visionExpertFraction: number;
  visionBias: number;
  ep: number;
  device: number;
  capacityMode: CapacityMode;
  capacityFactor: number;
  dropPolicy: DropPolicy;
  expandedDrop: boolean;
  seed: number;
}

const expertsArbitrary = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PRESET_EXPERTS) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 300 }) },
);

/** Noise 0 (every token ranks experts alike) and exact ties are where selection bugs hide, so they come up often. */
const noiseArbitrary = fc.oneof(
  fc.constant(0),
  fc.constantFrom(0.05, 0.5, 1, 2),
  fc.double({ min: 0, max: 5, noNaN: true }),
);

export function deviceCaseArbitrary(
  options: { gatings?: readonly GatingKind[]; tokens?: { min: number; max: number } } = {},
): fc.Arbitrary<DeviceCase> {
  const gatings = options.gatings ?? TOKEN_CHOICE_GATINGS;
  const tokenRange = options.tokens ?? { min: 16, max: 256 };
  return expertsArbitrary.chain((experts) => {
    const topK = fc.oneof(
      fc.integer({ min: 1, max: Math.min(experts, 16) }),
      fc.integer({ min: 1, max: Math.min(experts, 64) }),
    );
    return fc
      .record({
        topK,
        groups: fc.constantFrom(...divisors(experts, 32)),
        ep: fc.constantFrom(...divisors(experts, 64)),
        tokens: fc.integer(tokenRange),
        gating: fc.constantFrom(...gatings),
        profile: fc.constantFrom('uniform', 'zipf', 'olmoe') as fc.Arbitrary<DeviceCase['profile']>,
        zipfExponent: fc.double({ min: 0, max: 3, noNaN: true }),
        noise: noiseArbitrary,
        visionFraction: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })),
        visionExpertFraction: fc.double({ min: 0, max: 1, noNaN: true }),
        visionBias: fc.double({ min: 0, max: 5, noNaN: true }),
        capacityMode: fc.constantFrom('off', 'expert', 'device') as fc.Arbitrary<CapacityMode>,
        capacityFactor: fc.oneof(
          fc.constantFrom(0.1, 0.5, 1, 1.25, 1.5, 2, 8),
          fc.double({ min: 0.1, max: 8, noNaN: true }),
        ),
        dropPolicy: fc.constantFrom('order', 'reverse', 'random', 'score') as fc.Arbitrary<DropPolicy>,
        expandedDrop: fc.boolean(),
        seed: fc.integer({ min: 0, max: 0xffffffff }),
        deviceDraw: fc.nat(),
        topkGroupsDraw: fc.nat(),
      })
      .map(({ deviceDraw, topkGroupsDraw, ...rest }) => {
        // The validator's rule: top-k must fit in the kept groups (reconcileCombinations).
        const perGroup = experts / rest.groups;
        const needed = Math.min(rest.groups, Math.ceil(rest.topK / perGroup));
        const topkGroups = needed + (topkGroupsDraw % (rest.groups - needed + 1));
        return { ...rest, experts, topkGroups, device: deviceDraw % rest.ep };
      });
  });
}

export function localExpertsOf(c: DeviceCase): number {
  return c.experts / c.ep;
}

export function capacityOf(c: DeviceCase): number {
  // routeStep: expert choice uses γ = 1 when the limit is off; token choice has no C when off.
  if (c.gating === 'expert-choice')
    return expertCapacity(c.capacityMode === 'off' ? 1 : c.capacityFactor, c.topK, c.tokens, c.experts);
  return c.capacityMode === 'off' ? 0 : expertCapacity(c.capacityFactor, c.topK, c.tokens, c.experts);
}

/** The routeDevice input for a case, built the way routeStep builds it (biases from the popularity shares). */
export function deviceInput(c: DeviceCase, overrides: Partial<DeviceRoutingInput> = {}): DeviceRoutingInput {
  const shares = popularityMagnitudes(c.profile, c.experts, c.zipfExponent);
  const vision = visionHeavyExperts(c.experts, c.visionExpertFraction, c.seed);
  const biases = routerExpBiases(shares, c.topK, c.noise, vision, c.visionBias);
  return {
    tokens: c.tokens,
    experts: c.experts,
    topK: c.topK,
    gating: c.gating,
    groups: c.groups,
    topkGroups: c.topkGroups,
    expBiasText: biases.text,
    expBiasVision: biases.vision,
    expNoise: expNoiseTable(c.noise),
    visionFraction: c.visionFraction,
    seed: c.seed,
    localStart: c.device * localExpertsOf(c),
    localExperts: localExpertsOf(c),
    capacityMode: c.capacityMode,
    capacity: capacityOf(c),
    dropPolicy: c.dropPolicy,
    expandedDrop: c.expandedDrop,
    ...overrides,
  };
}

export function emptyOutput(experts: number): DeviceRoutingOutput {
  return {
    preDrop: new Int32Array(experts),
    kept: new Int32Array(experts),
    probabilityMass: new Float64Array(experts),
    overflowPairs: 0,
    routedPairs: 0,
    keptPairs: 0,
    addedPairs: 0,
    tokensWithNoExpert: 0,
    zLossSum: 0,
    routedGateWeight: 0,
    keptGateWeight: 0,
    droppedGateWeight: 0,
    maxExpertLoadBefore: 0,
    maxExpertLoadAfter: 0,
  };
}

/** Routes one case on fresh scratch (or the given scratch, to test reuse); returns the output and the scratch. */
export function runDevice(
  c: DeviceCase,
  scratchIn: Partial<RoutingScratch> = {},
  overrides: Partial<DeviceRoutingInput> = {},
): { out: DeviceRoutingOutput; scratch: RoutingScratch; input: DeviceRoutingInput } {
  const input = deviceInput(c, overrides);
  const scratch = ensureScratch(
    scratchIn,
    c.tokens,
    c.experts,
    c.topK,
    c.expandedDrop ? localExpertsOf(c) : 0,
    c.gating === 'expert-choice',
  );
  const out = emptyOutput(c.experts);
  routeDevice(input, scratch, out);
  return { out, scratch, input };
}

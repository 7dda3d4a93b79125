import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expNoiseTable } from '../../../src/core/routing/normalTable';
import { routeStep } from '../../../src/core/routing/routeStep';
import { defaultScenario } from '../../../src/core/scenario/defaults';
import { applyEntries } from '../../../src/core/scenario/validate';
import { capacityOf, deviceCaseArbitrary, runDevice, type DeviceCase } from './support';

/** Each token's original (top-k) experts, as sorted lists. */
function originalExperts(c: DeviceCase, overrides = {}): number[][] {
  const { scratch } = runDevice({ ...c, capacityMode: 'off' }, {}, overrides);
  const perToken = Array.from({ length: c.tokens }, () => [] as number[]);
  for (let pair = 0; pair < scratch.pairCount; pair += 1)
    if (scratch.pairOriginal[pair])
      perToken[scratch.pairToken[pair] ?? 0]?.push(scratch.pairExpert[pair] ?? 0);
  return perToken.map((experts) => experts.sort((a, b) => a - b));
}

describe('group-limited routing (DeepSeek-V3 and V2 n_group / topk_group)', () => {
  it('only uses experts in at most topk_group groups', () => {
    fc.assert(
      fc.property(deviceCaseArbitrary({ gatings: ['group-limited', 'softmax-group-limited'] }), (c) => {
        const groupSize = c.experts / c.groups;
        for (const experts of originalExperts(c)) {
          const groups = new Set(experts.map((expert) => Math.floor(expert / groupSize)));
          if (groups.size > c.topkGroups)
            throw new Error(`${groups.size} groups used, ${c.topkGroups} allowed`);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('with every group kept it picks the same top-k as plain top-k on the same draws', () => {
    fc.assert(
      fc.property(
        deviceCaseArbitrary({ gatings: ['group-limited', 'softmax-group-limited'] }).filter(
          (c) => c.noise > 0.05,
        ),
        (c) => {
          const all = { ...c, topkGroups: c.groups };
          const plain = c.gating === 'group-limited' ? 'sigmoid-topk-norm' : 'softmax-topk';
          expect(originalExperts(all)).toEqual(originalExperts({ ...all, gating: plain }));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('restricting groups changes choices when the top-k would span more groups', () => {
    const c: DeviceCase = {
      tokens: 256,
      experts: 64,
      topK: 8,
      gating: 'group-limited',
      groups: 8,
      topkGroups: 8,
      profile: 'uniform',
      zipfExponent: 0,
      noise: 1,
      visionFraction: 0,
      visionExpertFraction: 0,
      visionBias: 0,
      ep: 8,
      device: 0,
      capacityMode: 'off',
      capacityFactor: 1,
      dropPolicy: 'score',
      expandedDrop: false,
      seed: 3,
    };
    const groupsUsed = (tokens: number[][]) =>
      Math.max(...tokens.map((experts) => new Set(experts.map((expert) => Math.floor(expert / 8))).size));
    expect(groupsUsed(originalExperts(c))).toBeGreaterThan(4);
    expect(groupsUsed(originalExperts({ ...c, topkGroups: 4 }))).toBeLessThanOrEqual(4);
  });
});

describe('expert choice (Zhou et al. 2022)', () => {
  it('gives every expert exactly C tokens of each device (min(C, T))', () => {
    fc.assert(
      fc.property(deviceCaseArbitrary({ gatings: ['expert-choice'] }), (c) => {
        const { out } = runDevice(c);
        const keep = Math.min(capacityOf(c), c.tokens);
        expect(Array.from(out.kept).every((load) => load === keep)).toBe(true);
        expect(Array.from(out.preDrop).every((load) => load === keep)).toBe(true);
        expect(out.routedPairs).toBe(keep * c.experts);
        expect(out.keptPairs).toBe(keep * c.experts);
        expect(out.maxExpertLoadAfter).toBe(keep);
        expect(out.tokensWithNoExpert).toBeGreaterThanOrEqual(0);
        expect(out.tokensWithNoExpert).toBeLessThanOrEqual(c.tokens - Math.min(c.tokens, keep));
      }),
      { numRuns: 300 },
    );
  });

  it.each([8, 64, 255, 256, 300])(
    'with no router noise every one of %i experts picks the same C tokens, so T − C tokens get none',
    (experts) => {
      const c: DeviceCase = {
        tokens: 64,
        experts,
        topK: 1,
        gating: 'expert-choice',
        groups: 1,
        topkGroups: 1,
        profile: 'zipf',
        zipfExponent: 1,
        noise: 0,
        visionFraction: 0,
        visionExpertFraction: 0,
        visionBias: 0,
        ep: 1,
        device: 0,
        capacityMode: 'expert',
        capacityFactor: 1,
        dropPolicy: 'score',
        expandedDrop: false,
        seed: 5,
      };
      const keep = Math.min(capacityOf(c), c.tokens);
      expect(keep).toBeLessThan(c.tokens);
      expect(runDevice(c).out.tokensWithNoExpert).toBe(c.tokens - keep);
    },
  );

  it('routeStep: every expert receives exactly C tokens from every device', () => {
    const { scenario } = applyEntries(defaultScenario(), [
      ['model', 'deepseek-v3'],
      ['routing.gating', 'expert-choice'],
      ['routing.capacityFactor', 1.25],
      ['routing.tokensPerDevice', 128],
    ]);
    const step = routeStep(scenario, 0, { layers: [0, 5] });
    for (const layer of step.layers) {
      expect(layer.capacity).toBe(Math.ceil((1.25 * 8 * 128) / 256));
      expect(Array.from(layer.keptFlow).every((load) => load === layer.capacity)).toBe(true);
      expect(layer.droppedPairs).toBe(0);
    }
  });
});

describe('hash routing (Roller et al. 2021)', () => {
  it('ignores the router: profile, noise and vision bias do not change which experts a token gets', () => {
    fc.assert(
      fc.property(
        deviceCaseArbitrary({ gatings: ['hash'] }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        (c, otherNoise) => {
          const skewed = { ...c, profile: 'zipf' as const, zipfExponent: 2 };
          const reference = originalExperts(c);
          expect(originalExperts(skewed)).toEqual(reference);
          expect(originalExperts(c, { expNoise: expNoiseTable(otherNoise) })).toEqual(reference);
          expect(
            originalExperts({ ...c, visionFraction: 1, visionBias: 5, visionExpertFraction: 0.5 }),
          ).toEqual(reference);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('spreads tokens evenly whatever the popularity profile', () => {
    const { scenario } = applyEntries(defaultScenario(), [
      ['model', 'olmoe-1b-7b'],
      ['routing.gating', 'hash'],
      ['routing.profile', 'olmoe'],
      ['routing.capacity', 'off'],
      ['routing.tokensPerDevice', 512],
    ]);
    const layer = routeStep(scenario, 0, { layers: [0] }).layers[0];
    const mean = (8 * 512 * 8) / 64;
    expect(Math.max(...(layer?.preDropLoad ?? []))).toBeLessThan(1.2 * mean);
    const skewed = routeStep(applyEntries(scenario, [['routing.gating', 'softmax-topk']]).scenario, 0, {
      layers: [0],
    }).layers[0];
    expect(Math.max(...(skewed?.preDropLoad ?? []))).toBeGreaterThan(4 * mean);
  });
});

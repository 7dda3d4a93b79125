import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MODEL_PRESETS } from '../../../src/core/catalog/models';
import { nonExpertModules } from '../../../src/core/checkpoint/modules';
import {
  checkpointComposition,
  effectiveExpertsPerCheckpoint,
  fullCheckpointBytesMetric,
  pecCheckpointBytes,
  pecCheckpointBytesMetric,
} from '../../../src/core/checkpoint/sizes';
import { trainingStateMemoryMetric } from '../../../src/core/metrics/trainingMemory';
import { countParameters } from '../../../src/core/model/params';
import { FIELD_BY_KEY } from '../../../src/core/scenario/fields';
import { defaultOf } from '../../../src/core/scenario/fieldAccess';
import { defaultScenario } from '../../../src/core/scenario/defaults';
import { decodeFragment, encodeFragment } from '../../../src/core/scenario/shareLink';
import { resolveArchitecture } from '../../../src/core/scenario/resolve';
import type { Scenario } from '../../../src/core/scenario/types';
import { applyEntries } from '../../../src/core/scenario/validate';
import { scenarioArbitrary } from '../support/scenarioArbitrary';

function scenarioWith(entries: [string, unknown][]): Scenario {
  const { scenario, messages } = applyEntries(defaultScenario(), entries);
  expect(messages).toEqual([]);
  return scenario;
}

const gpt350 = scenarioWith([['model', 'gpt-350m-16e']]);

describe('checkpoint composition (MoC Eq. 5–6, Fig. 2)', () => {
  it('splits C_full into expert / non-expert weights and optimizer state', () => {
    const c = checkpointComposition(gpt350);
    const counts = countParameters(resolveArchitecture(gpt350));
    expect(c.nonExpertParams).toBe(counts.nonExpert);
    expect(c.expertParams).toBe(counts.routedExpert);
    expect(c.weightBytesPerParam).toBe(2);
    expect(c.optimizerBytesPerParam).toBe(12);
    expect(c.fullBytes).toBe(counts.total * 14);
    expect(
      c.expertWeightBytes + c.expertOptimizerBytes + c.nonExpertWeightBytes + c.nonExpertOptimizerBytes,
    ).toBe(c.fullBytes);
  });

  it('GPT-350M-16E has the shares of MoC Fig. 2: experts ≈ 86%, optimizer state ≈ 86%', () => {
    const c = checkpointComposition(gpt350);
    // Fig. 2: expert params 12% + expert optimizer 74% = 86%; optimizer 74% + 12% = 86%.
    expect((c.expertWeightBytes + c.expertOptimizerBytes) / c.fullBytes).toBeCloseTo(0.86, 1);
    expect((c.expertOptimizerBytes + c.nonExpertOptimizerBytes) / c.fullBytes).toBeCloseTo(0.86, 1);
  });

  it('C_pec(K) is Eq. 6, never above C_full, grows with K and equals C_full at K = N', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const c = checkpointComposition(scenario);
        let previous = -1;
        for (const k of [1, Math.ceil(c.experts / 2), c.experts]) {
          const bytes = pecCheckpointBytes(c, k);
          expect(bytes).toBeLessThanOrEqual(c.fullBytes * (1 + 1e-12));
          expect(bytes).toBeGreaterThanOrEqual(previous);
          previous = bytes;
        }
        expect(pecCheckpointBytes(c, c.experts)).toBeCloseTo(c.fullBytes, -1);
      }),
      { numRuns: 200 },
    );
  });

  it('PEC off means K = N; on, K is clamped to [1, N]', () => {
    const off = { ...gpt350, checkpoint: { ...gpt350.checkpoint, pec: false } };
    expect(effectiveExpertsPerCheckpoint(off, 1, 16)).toBe(16);
    expect(effectiveExpertsPerCheckpoint(gpt350, 0, 16)).toBe(1);
    expect(effectiveExpertsPerCheckpoint(gpt350, 40, 16)).toBe(16);
    expect(pecCheckpointBytesMetric(off).value).toBe(fullCheckpointBytesMetric(off).value);
  });

  it('the metrics show Eq. 5 and Eq. 6 with their inputs', () => {
    const full = fullCheckpointBytesMetric(gpt350);
    const pec = pecCheckpointBytesMetric(gpt350);
    expect(full.source).toMatch(/Eq\. 5/);
    expect(pec.source).toMatch(/Eq\. 6/);
    const inputs = Object.fromEntries(pec.inputs.map((item) => [item.symbol, item.value]));
    expect(pec.value).toBeCloseTo(
      ((inputs.P_ne ?? 0) + ((inputs.K ?? 0) / (inputs.N ?? 1)) * (inputs.P_e ?? 0)) *
        ((inputs.B_w ?? 0) + (inputs.B_o ?? 0)),
      -1,
    );
    // K = 4 of 16 experts: a quarter of the expert part.
    expect(inputs.K).toBe(4);
    expect(pec.value).toBeLessThan(full.value);
  });
});

describe('non-expert modules (MoC §4.2 sharding units)', () => {
  it.each(MODEL_PRESETS.map((preset) => [preset.id, preset] as const))(
    '%s: modules add up to the non-expert parameters, largest first',
    (_id, preset) => {
      const modules = nonExpertModules(preset.architecture);
      const sum = modules.reduce((total, params) => total + params, 0);
      expect(sum).toBeCloseTo(countParameters(preset.architecture).nonExpert, -2);
      for (let i = 1; i < modules.length; i += 1)
        expect(modules[i] ?? 0).toBeLessThanOrEqual(modules[i - 1] ?? 0);
    },
  );

  it('random architectures too', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const arch = resolveArchitecture(scenario);
        const sum = nonExpertModules(arch).reduce((total, params) => total + params, 0);
        const expected = countParameters(arch).nonExpert;
        expect(Math.abs(sum - expected)).toBeLessThanOrEqual(expected * 1e-12);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the checkpoint at a low compute precision', () => {
  it('FP8 and FP4 training save BF16 weights, so the checkpoint does not shrink', () => {
    const at = (precision: string) =>
      checkpointComposition(applyEntries(defaultScenario(), [['precision', precision]]).scenario);
    const bf16 = at('bf16');
    for (const precision of ['fp8', 'fp4']) {
      const low = at(precision);
      expect(low.weightBytesPerParam, precision).toBe(2);
      expect(low.fullBytes, precision).toBe(bf16.fullBytes);
    }
  });
});

describe('optimizer bytes per parameter B_o: the model preset’s unless a link or the user sets it', () => {
  const DEEPSEEK = 'v=1&model=deepseek-v3&gpu=h800&ep=64&dp=64&lab=checkpointing';
  const field = FIELD_BY_KEY.get('checkpoint.optimizerBytesPerParam')!;

  it('DeepSeek-V3 keeps AdamW’s moments in BF16 and FP32 master weights: 8 B, so C_full falls from 9.39 to 6.71 TB', () => {
    const opened = decodeFragment(DEEPSEEK);
    expect(opened.messages).toEqual([]);
    const composition = checkpointComposition(opened.scenario);
    expect(composition.optimizerBytesPerParam).toBe(8);
    expect(fullCheckpointBytesMetric(opened.scenario).value / 1e12).toBeCloseTo(6.71, 2);
    const input = fullCheckpointBytesMetric(opened.scenario).inputs.find((item) => item.symbol === 'B_o');
    expect(input?.value).toBe(8);
    // The link is unchanged: the default is not written into it.
    expect(encodeFragment(opened.scenario, { lab: 'checkpointing' })).toBe(DEEPSEEK);
  });

  it('every other preset keeps mixed-precision Adam’s 12 B', () => {
    for (const preset of MODEL_PRESETS) {
      const { scenario } = applyEntries(defaultScenario(), [['model', preset.id]]);
      expect(defaultOf(scenario, field), preset.id).toBe(preset.id === 'deepseek-v3' ? 8 : 12);
      expect(checkpointComposition(scenario).optimizerBytesPerParam, preset.id).toBe(
        preset.id === 'deepseek-v3' ? 8 : 12,
      );
    }
    expect(field.default).toBe(12);
  });

  it('a link that sets it wins over the preset, and keeps it', () => {
    const twelve = `${DEEPSEEK.replace('&lab=checkpointing', '')}&checkpoint.optimizerBytesPerParam=12`;
    const opened = decodeFragment(twelve);
    expect(opened.messages).toEqual([]);
    expect(checkpointComposition(opened.scenario).optimizerBytesPerParam).toBe(12);
    expect(fullCheckpointBytesMetric(opened.scenario).value / 1e12).toBeCloseTo(9.39, 2);
    expect(encodeFragment(opened.scenario)).toBe(twelve);
    // The model listed after the setting changes nothing: presets are applied first.
    const reordered = decodeFragment('v=1&checkpoint.optimizerBytesPerParam=12&model=deepseek-v3');
    expect(checkpointComposition(reordered.scenario).optimizerBytesPerParam).toBe(12);
    // 8 on Mixtral is a change from its preset, and is kept in the link; 8 on DeepSeek-V3 is its default.
    expect(encodeFragment(decodeFragment('v=1&checkpoint.optimizerBytesPerParam=8').scenario)).toBe(
      'v=1&checkpoint.optimizerBytesPerParam=8',
    );
    expect(
      encodeFragment(decodeFragment('v=1&model=deepseek-v3&checkpoint.optimizerBytesPerParam=8').scenario),
    ).toBe('v=1&model=deepseek-v3');
  });

  it('feeds the Summary’s model states too', () => {
    const eight = decodeFragment(DEEPSEEK).scenario;
    const twelve = decodeFragment(`${DEEPSEEK}&checkpoint.optimizerBytesPerParam=12`).scenario;
    const optimizer = (scenario: Scenario) =>
      trainingStateMemoryMetric(scenario).inputs.find((item) => item.symbol === 'M_optimizer')?.value ?? 0;
    expect(optimizer(eight) / optimizer(twelve)).toBeCloseTo(8 / 12, 12);
  });
});

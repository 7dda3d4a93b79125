import { describe, expect, it } from 'vitest';
import { LLAMA3_GPU_MTBF_HOURS } from '../../../src/core/catalog/failureRates';
import { checkpointMetrics } from '../../../src/core/checkpoint/metrics';
import type { Metric } from '../../../src/core/metric';
import { defaultScenario } from '../../../src/core/scenario/defaults';
import { decodeFragment } from '../../../src/core/scenario/shareLink';
import type { Scenario } from '../../../src/core/scenario/types';

function scenarioOf(fragment: string): Scenario {
  const { scenario, messages } = decodeFragment(fragment);
  expect(messages).toEqual([]);
  return scenario;
}

function metricOf(scenario: Scenario, id: string): Metric {
  const metric = checkpointMetrics(scenario).find((candidate) => candidate.id === id);
  if (!metric) throw new Error(`no ${id}`);
  return metric;
}

const jobMtbf = (scenario: Scenario) => metricOf(scenario, 'checkpoint.jobMtbf');
const inputsOf = (metric: Metric) =>
  Object.fromEntries(metric.inputs.map((item) => [item.symbol, item.value]));

describe('the job-MTBF figure', () => {
  it('for the default, given for the job: the value set, the per-GPU MTBF it implies, flagged against Llama 3', () => {
    const metric = jobMtbf(defaultScenario());
    expect(metric.value).toBe(24);
    expect(metric.unit).toBe('hours');
    expect(metric.formula).toMatch(/MTBF_GPU = MTBF_job · G/);
    expect(inputsOf(metric)).toEqual({
      MTBF_job: 24,
      G: 8,
      MTBF_GPU: 192,
      'MTBF_GPU,Llama 3': LLAMA3_GPU_MTBF_HOURS,
    });
    // 50,677 / 192 = 263.9: intended, as a fault-injection experiment's rate, and said.
    expect(metric.flag).toBe('264× Llama 3’s failure rate per GPU');
    expect(metric.note).toMatch(/one failure per 192 GPU-hours \(MTBF_job · G\)/);
    expect(metric.note).toMatch(
      /one unexpected interruption per 50,677 GPU-hours \(419 in 54 days on 16,384 H100/,
    );
    expect(metric.note).toMatch(/A fault comes every 1,611 iterations on average/);
    expect(metric.note).toMatch(/inject one every 2,000 iterations/);
    expect(metric.note).toMatch(/A bigger job keeps the same job MTBF here/);
    expect(metric.note).toMatch(/switch “Failure rate given” to per GPU/);
    expect(metric.source).toMatch(/arXiv 2407\.21783, §3\.3\.4/);
    expect(metric.source).toMatch(/MoC-System .*Eq\. 11/);
  });

  it('given per GPU: MTBF_GPU / G, unflagged at Llama 3’s own rate', () => {
    const metric = jobMtbf(scenarioOf('v=1&checkpoint.failureScope=gpu'));
    expect(metric.value).toBe(50_677 / 8);
    expect(metric.formula).toBe('MTBF_job = MTBF_GPU / G');
    expect(inputsOf(metric)).toEqual({ MTBF_GPU: 50_677, G: 8, 'MTBF_GPU,Llama 3': LLAMA3_GPU_MTBF_HOURS });
    expect(metric.flag).toBeUndefined();
    expect(metric.note).toMatch(/fails 8 times as often as one GPU: every 6,334\.63 hours/);
    expect(metric.note).toMatch(/GPUs here fail as often as in Llama 3’s training\.$/);
    expect(metric.note).not.toMatch(/A bigger job keeps/);
  });

  it('DeepSeek-V3 on 2,048 GPUs at Llama 3’s per-GPU rate fails about once a day', () => {
    const metric = jobMtbf(
      scenarioOf('v=1&model=deepseek-v3&gpu=h800&ep=64&dp=2048&checkpoint.failureScope=gpu'),
    );
    expect(metric.value).toBeCloseTo(24.745, 3);
    expect(inputsOf(metric).G).toBe(2048);
    expect(metric.flag).toBeUndefined();
  });

  it('is flagged once GPUs fail more than ten times as often as in Llama 3’s training, in either scope', () => {
    // On 8 GPUs a tenth of Llama 3's per-GPU MTBF is a job MTBF of 633.5 h.
    expect(jobMtbf(scenarioOf('v=1&checkpoint.mtbfHours=600')).flag).toBe(
      '10.6× Llama 3’s failure rate per GPU',
    );
    expect(jobMtbf(scenarioOf('v=1&checkpoint.mtbfHours=700')).flag).toBeUndefined();
    const flaggedPerGpu = jobMtbf(scenarioOf('v=1&checkpoint.failureScope=gpu&checkpoint.gpuMtbfHours=5000'));
    expect(flaggedPerGpu.flag).toBe('10.1× Llama 3’s failure rate per GPU');
    expect(flaggedPerGpu.note).toMatch(/fault-injection experiment/);
    expect(
      jobMtbf(scenarioOf('v=1&checkpoint.failureScope=gpu&checkpoint.gpuMtbfHours=5100')).flag,
    ).toBeUndefined();
    // A job MTBF that is the default's on 256 GPUs implies 6,144 GPU-hours: 8.25×, not flagged, and the note says so.
    const big = jobMtbf(scenarioOf('v=1&dp=256'));
    expect(big.flag).toBeUndefined();
    expect(big.note).toMatch(/GPUs here fail 8\.25× as often as in Llama 3’s training/);
  });

  it('is the MTBF the overhead’s λ is computed from', () => {
    for (const link of ['v=1', 'v=1&dp=64&tp=2&checkpoint.failureScope=gpu&checkpoint.gpuMtbfHours=2000']) {
      const scenario = scenarioOf(link);
      const iterationSeconds = metricOf(scenario, 'checkpoint.iterationSeconds').value;
      const lambda = inputsOf(metricOf(scenario, 'checkpoint.overheadFraction'))['λ'];
      expect(lambda).toBe(iterationSeconds / (jobMtbf(scenario).value * 3600));
    }
  });
});

import { describe, expect, it } from 'vitest';
import {
  LLAMA3_GPU_MTBF_HOURS,
  LLAMA3_GPUS,
  LLAMA3_SNAPSHOT_DAYS,
  LLAMA3_UNEXPECTED_INTERRUPTIONS,
} from '../../../src/core/catalog/failureRates';
import { checkpointCostBreakdown, checkpointCosts } from '../../../src/core/checkpoint/costs';
import { jobMtbfHours } from '../../../src/core/checkpoint/jobMtbf';
import { checkpointMetrics } from '../../../src/core/checkpoint/metrics';
import { faultOverhead } from '../../../src/core/checkpoint/overhead';
import { simulateRun } from '../../../src/core/checkpoint/run';
import { runMetrics } from '../../../src/core/checkpoint/runMetrics';
import type { Metric } from '../../../src/core/metric';
import { defaultScenario } from '../../../src/core/scenario/defaults';
import { FIELD_BY_KEY } from '../../../src/core/scenario/fields';
import { decodeFragment, encodeFragment } from '../../../src/core/scenario/shareLink';
import type { Scenario } from '../../../src/core/scenario/types';

function scenarioOf(fragment: string): Scenario {
  const { scenario, messages } = decodeFragment(fragment);
  expect(messages).toEqual([]);
  return scenario;
}

/** The Checkpointing lab's figures as the app and the command line compute them: the static model, then the run. */
function labFigures(scenario: Scenario): Metric[] {
  const run = simulateRun(scenario, checkpointCosts(scenario));
  return [...checkpointMetrics(scenario), ...runMetrics(run, scenario.checkpoint)];
}

function valuesOf(metrics: readonly Metric[]): Record<string, number> {
  return Object.fromEntries(metrics.map((metric) => [metric.id, metric.value]));
}

/** Expected faults over the run, N_fault = λ·I_total (MoC Eq. 11), at the scenario's own job MTBF. */
function expectedFaults(scenario: Scenario): number {
  const { costs } = checkpointCostBreakdown(scenario);
  return faultOverhead(costs, scenario.checkpoint, jobMtbfHours(scenario)).expectedFaults;
}

describe('the job’s MTBF', () => {
  it('defaults per GPU to Llama 3’s rate, 16,384 × 54 × 24 / 419 GPU-hours per failure, rounded to the hour', () => {
    expect(LLAMA3_GPU_MTBF_HOURS).toBe(
      (LLAMA3_GPUS * LLAMA3_SNAPSHOT_DAYS * 24) / LLAMA3_UNEXPECTED_INTERRUPTIONS,
    );
    expect(LLAMA3_GPU_MTBF_HOURS).toBeCloseTo(50_677.0024, 4);
    expect(defaultScenario().checkpoint.gpuMtbfHours).toBe(50_677);
    expect(FIELD_BY_KEY.get('checkpoint.gpuMtbfHours')?.default).toBe(50_677);
    expect(FIELD_BY_KEY.get('checkpoint.failureScope')?.default).toBe('job');
  });

  it('is the value set when the rate is given for the job, at any size', () => {
    expect(jobMtbfHours(defaultScenario())).toBe(24);
    expect(jobMtbfHours(scenarioOf('v=1&dp=256&tp=2&checkpoint.mtbfHours=3'))).toBe(3);
    // The per-GPU figure is not read in this scope.
    expect(jobMtbfHours(scenarioOf('v=1&checkpoint.gpuMtbfHours=5'))).toBe(24);
  });

  it('is MTBF_GPU / G when given per GPU, G = DP · TP the job’s GPUs', () => {
    expect(jobMtbfHours(scenarioOf('v=1&checkpoint.failureScope=gpu'))).toBe(50_677 / 8);
    expect(
      jobMtbfHours(scenarioOf('v=1&dp=64&tp=2&checkpoint.failureScope=gpu&checkpoint.gpuMtbfHours=1280')),
    ).toBe(10);
    // DeepSeek-V3 on 2,048 H800s at Llama 3's per-GPU rate: a failure about every day.
    const deepSeek = scenarioOf('v=1&model=deepseek-v3&gpu=h800&ep=64&dp=2048&checkpoint.failureScope=gpu');
    expect(jobMtbfHours(deepSeek)).toBeCloseTo(24.745, 3);
    // The job's own figure is not read in this scope.
    expect(jobMtbfHours(scenarioOf('v=1&checkpoint.failureScope=gpu&checkpoint.mtbfHours=1'))).toBe(
      50_677 / 8,
    );
  });

  it('per GPU at 8 × 24 h on 8 GPUs gives the default’s figures exactly, the run’s included', () => {
    const perGpu = scenarioOf('v=1&checkpoint.failureScope=gpu&checkpoint.gpuMtbfHours=192');
    expect(jobMtbfHours(perGpu)).toBe(24);
    const byGpu = valuesOf(labFigures(perGpu));
    const byJob = valuesOf(labFigures(defaultScenario()));
    // Only the job-MTBF figure may differ in what it shows, not in its value.
    expect(byGpu).toEqual(byJob);
  });
});

describe('failures as the cluster grows, over the same work', () => {
  // A fixed global batch (512 sequences of 4,096 tokens) and run length: every DP does the same tokens of work.
  const DPS = [8, 16, 32, 64, 128, 256];
  const at = (dp: number, scope: string) =>
    scenarioOf(
      `v=1&dp=${dp}&checkpoint.failureScope=${scope}&checkpoint.gpuMtbfHours=192&checkpoint.mtbfHours=24`,
    );

  it('given per GPU, the expected fault count stays about constant; given for the job, it falls', () => {
    const perGpu = DPS.map((dp) => expectedFaults(at(dp, 'gpu')));
    const perJob = DPS.map((dp) => expectedFaults(at(dp, 'job')));
    expect(perGpu[0]).toBe(perJob[0]);
    expect(perGpu[0]).toBeGreaterThan(10);
    // Each GPU's share of the work shrinks as fast as the job's failure rate grows.
    for (const faults of perGpu) expect(faults / (perGpu[0] ?? 1)).toBeCloseTo(1, 1);
    // A job MTBF that ignores the size: 32 times the GPUs finish sooner and see about 32 times fewer faults.
    for (let index = 1; index < DPS.length; index++)
      expect(perJob[index] ?? 0).toBeLessThan(perJob[index - 1] ?? 0);
    expect((perJob[0] ?? 0) / (perJob.at(-1) ?? 1)).toBeGreaterThan(20);
  });

  it('the event-driven run agrees: about as many faults at 256 GPUs as at 8 per GPU, and fewer for the job', () => {
    const faultsOf = (scenario: Scenario) => valuesOf(labFigures(scenario))['checkpoint.run.faults'] ?? 0;
    const small = faultsOf(at(8, 'gpu'));
    const bigPerGpu = faultsOf(at(256, 'gpu'));
    const bigPerJob = faultsOf(at(256, 'job'));
    expect(small).toBe(15);
    expect(bigPerGpu).toBeGreaterThanOrEqual(10);
    expect(bigPerGpu).toBeLessThanOrEqual(25);
    expect(bigPerJob).toBeLessThan(3);
  });
});

describe('links from before the failure scope existed', () => {
  // Each link's figures as the command line printed them before the failure scope was added
  // (npm run --silent sim -- --hash LINK --json), to the last bit.
  const BEFORE: readonly [string, Record<string, number>][] = [
    [
      'v=1&lab=checkpointing',
      {
        'checkpoint.overheadSeconds': 42459.09996494226,
        'checkpoint.overheadFraction': 0.03958029291027508,
        'checkpoint.optimalInterval': 1,
        'checkpoint.minInterval': 0.3780816644789961,
        'checkpoint.run.faults': 15,
        'checkpoint.run.lostIterations': 842,
        'checkpoint.run.plt': 0.10295461922776818,
        'checkpoint.run.finalK': 8,
        'checkpoint.run.overheadFraction': 0.05267022949596725,
        'checkpoint.run.goodput': 0.949965119160645,
      },
    ],
    [
      // MoC-System Case 2, as its paper checks open it.
      'v=1&model=gpt-350m-16e&gpu=a800&interLink=roce-100g&hostLinkGBps=1&computeEff=0.2&dp=16&batch=256&seq=2048&lab=checkpointing',
      {
        'checkpoint.overheadSeconds': 173.0122171484287,
        'checkpoint.overheadFraction': 0.0076668103652193734,
        'checkpoint.optimalInterval': 1,
        'checkpoint.run.faults': 0,
        'checkpoint.run.goodput': 1,
      },
    ],
    [
      'v=1&model=gpt-350m-16e&gpu=a800&checkpoint.mtbfHours=2&checkpoint.totalIterations=10000&lab=checkpointing',
      {
        'checkpoint.overheadSeconds': 6283.041021800932,
        'checkpoint.overheadFraction': 0.12040916203620512,
        'checkpoint.optimalInterval': 1,
        'checkpoint.run.faults': 9,
        'checkpoint.run.lostIterations': 358,
        'checkpoint.run.plt': 0.17863848313555172,
        'checkpoint.run.finalK': 16,
        'checkpoint.run.overheadFraction': 0.14058487498566002,
        'checkpoint.run.goodput': 0.8767431709214735,
      },
    ],
  ];

  it.each(BEFORE)(
    '%s decodes to the job scope, computes as before and re-encodes unchanged',
    (link, before) => {
      const scenario = scenarioOf(link);
      expect(scenario.checkpoint.failureScope).toBe('job');
      expect(encodeFragment(scenario, { lab: 'checkpointing' })).toBe(link);
      const values = valuesOf(labFigures(scenario));
      for (const [id, value] of Object.entries(before)) expect(values[id], id).toBe(value);
    },
  );
});

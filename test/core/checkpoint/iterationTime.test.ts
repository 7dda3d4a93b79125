import { describe, expect, it } from 'vitest';
import { iterationTime, iterationTimeMetric, peakTflops } from '../../../src/core/checkpoint/iterationTime';
import { countParameters } from '../../../src/core/model/params';
import { defaultScenario } from '../../../src/core/scenario/defaults';
import { resolveArchitecture } from '../../../src/core/scenario/resolve';
import type { Scenario } from '../../../src/core/scenario/types';
import { applyEntries } from '../../../src/core/scenario/validate';

function scenarioWith(entries: [string, unknown][]): Scenario {
  const { scenario, messages } = applyEntries(defaultScenario(), entries);
  expect(messages).toEqual([]);
  return scenario;
}

const setup: [string, unknown][] = [
  ['model', 'gpt-350m-16e'],
  ['gpu', 'a800'],
  ['batch', 256],
  ['seq', 2048],
  ['computeEff', 0.2],
  ['interLink', 'roce-100g'],
];

describe('T_F&B: one training iteration', () => {
  it('Case1 compute: 3·(2·N_active + 2·L·n_ctx·d_attn) FLOPs per token on 8 A800s at 20% of 312 TFLOPS', () => {
    const scenario = scenarioWith([...setup, ['ep', 8], ['dp', 8]]);
    const counts = countParameters(resolveArchitecture(scenario));
    const perToken = 3 * (2 * counts.activeNonEmbedding + 2 * 24 * 2048 * 1024);
    const time = iterationTime(scenario);
    expect(time.flopsPerToken).toBe(perToken);
    expect(time.tokensPerStep).toBe(256 * 2048);
    expect(time.computeSeconds).toBeCloseTo((perToken * 256 * 2048) / (8 * 312e12 * 0.2), 9);
    expect(time.computeSeconds).toBeGreaterThan(2);
    expect(time.computeSeconds).toBeLessThan(2.5);
  });

  it('all-to-all: 4 per MoE layer over NVLink when EP fits a node; across nodes, each share on its own link', () => {
    const case2 = iterationTime(scenarioWith([...setup, ['ep', 16], ['dp', 16]]));
    const case3 = iterationTime(scenarioWith([...setup, ['ep', 8], ['dp', 16]]));
    expect(case3.intraNode).toBe(true);
    expect(case3.intraLinkGBps).toBe(200);
    expect(case3.interNodeSeconds).toBe(0);
    expect(case2.intraNode).toBe(false);
    expect(case2.interLinkGBps).toBe(12.5);
    // Same tokens per GPU and model: only the links differ, so Case3 is faster (MoC §6.2.2: by 0.5 s).
    expect(case2.computeSeconds).toBe(case3.computeSeconds);
    expect(case2.totalSeconds - case3.totalSeconds).toBeGreaterThan(0.1);
    // Case3: 32,768 tokens per GPU × top-1 × 1,024 × 2 B, 7/8 to its node's peers, 4 × 12 times, at 200 GB/s × 0.8.
    expect(case3.allToAllSeconds).toBeCloseTo((4 * 12 * 32768 * 1024 * 2 * (7 / 8)) / (200e9 * 0.8), 9);
    // Case2: of 16 shares, 8 go to the other node at 12.5 GB/s × 0.8 while 7 go over NVLink; the network is slower.
    expect(case2.interNodeSeconds).toBeCloseTo((4 * 12 * 32768 * 1024 * 2 * (8 / 16)) / (12.5e9 * 0.8), 9);
    expect(case2.intraNodeSeconds).toBeCloseTo((4 * 12 * 32768 * 1024 * 2 * (7 / 16)) / (200e9 * 0.8), 9);
    expect(case2.allToAllSeconds).toBe(case2.interNodeSeconds);
  });

  it('with tensor parallelism a node holds fewer of an EP group’s ranks', () => {
    // TP = 2 on 8-GPU nodes: 4 EP ranks per node, so EP = 8 spans two nodes (3 peers in the node, 4 outside).
    const time = iterationTime(scenarioWith([...setup, ['ep', 8], ['dp', 16], ['tp', 2]]));
    expect(time.intraNode).toBe(false);
    expect(time.peersInNode).toBe(3);
    expect(time.peersInOtherNodes).toBe(4);
  });

  it('without expert parallelism there is no all-to-all', () => {
    const time = iterationTime(scenarioWith([...setup, ['ep', 1], ['dp', 8]]));
    expect(time.allToAllSeconds).toBe(0);
    expect(time.totalSeconds).toBe(time.computeSeconds);
  });

  it('counts training FLOPs even when the workload is set to inference', () => {
    const training = iterationTime(scenarioWith(setup));
    const prefill = iterationTime(scenarioWith([...setup, ['mode', 'prefill']]));
    expect(prefill.flopsPerToken).toBe(training.flopsPerToken);
  });

  it('uses the precision’s peak, BF16 where the chip has none', () => {
    const gpu = { bf16Tflops: 312, fp8Tflops: 0, fp4Tflops: 0, memBandwidthGBps: 1, memGB: 1 };
    expect(peakTflops(gpu, 'fp8')).toBe(312);
    expect(peakTflops({ ...gpu, fp8Tflops: 624 }, 'fp8')).toBe(624);
    // A vanishing figure (the link can carry 5e-324) counts as none rather than an infinite step time.
    expect(peakTflops({ ...gpu, fp4Tflops: 5e-324 }, 'fp4')).toBe(312);
  });

  it('the metric shows its inputs and unit', () => {
    const metric = iterationTimeMetric(scenarioWith(setup));
    expect(metric.id).toBe('checkpoint.iterationSeconds');
    expect(metric.unit).toBe('s');
    const inputs = Object.fromEntries(metric.inputs.map((item) => [item.symbol, item.value]));
    expect(metric.value).toBeCloseTo((inputs.T_compute ?? 0) + (inputs.T_a2a ?? 0), 12);
    expect(inputs.F_peak).toBe(312);
  });
});

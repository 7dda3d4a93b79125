import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Metric } from '../../../src/core/metric';
import { summaryMetrics } from '../../../src/core/metrics/summary';
import { defaultScenario } from '../../../src/core/scenario/defaults';
import type { Scenario } from '../../../src/core/scenario/types';
import { applyEntries } from '../../../src/core/scenario/validate';
import { scenarioArbitrary } from '../support/scenarioArbitrary';

function scenarioWith(entries: [string, unknown][]): Scenario {
  const { scenario, messages } = applyEntries(defaultScenario(), entries);
  expect(messages).toEqual([]);
  return scenario;
}

function metricsById(scenario: Scenario): Map<string, Metric> {
  return new Map(summaryMetrics(scenario).map((metric) => [metric.id, metric]));
}

function value(scenario: Scenario, id: string): number {
  const metric = metricsById(scenario).get(id);
  if (!metric) throw new Error(`no metric ${id}`);
  return metric.value;
}

function inputsOf(metric: Metric): Record<string, number> {
  return Object.fromEntries(metric.inputs.map((item) => [item.symbol, item.value]));
}

const EXPECTED_IDS = [
  'totalParams',
  'activeParams',
  'paramsPerExpert',
  'attentionParamsPerLayer',
  'flopsPerToken',
  'weightMemoryPerGpu',
  'weightMemoryFraction',
  'trainingStateMemoryPerGpu',
  'trainingStateMemoryFraction',
  'tokensPerStep',
  'tokensPerDevice',
  'meanTokensPerExpert',
  'worldSize',
  'nodes',
  'expertsPerGpu',
];

describe('summary metrics show their work', () => {
  it('lists the expected metrics once each', () => {
    expect(summaryMetrics(defaultScenario()).map((metric) => metric.id)).toEqual(EXPECTED_IDS);
  });

  it('every metric has an id, label, unit, formula, source and finite inputs', () => {
    for (const scenario of [
      defaultScenario(),
      scenarioWith([['model', 'deepseek-v3']]),
      scenarioWith([
        ['mode', 'decode'],
        ['zero', '3'],
      ]),
    ]) {
      for (const metric of summaryMetrics(scenario)) {
        expect(metric.id).toMatch(/^[a-zA-Z]+$/);
        expect(metric.label.trim().length, metric.id).toBeGreaterThan(0);
        expect(typeof metric.unit, metric.id).toBe('string');
        expect(metric.unit, metric.id).not.toBe('%');
        expect(metric.formula.trim().length, metric.id).toBeGreaterThan(3);
        expect(metric.source.trim().length, metric.id).toBeGreaterThan(10);
        expect(metric.inputs.length, metric.id).toBeGreaterThan(0);
        for (const item of metric.inputs) {
          expect(item.symbol.length, metric.id).toBeGreaterThan(0);
          expect(item.label.length, metric.id).toBeGreaterThan(0);
          expect(typeof item.unit, metric.id).toBe('string');
          expect(Number.isFinite(item.value), `${metric.id}.${item.symbol}`).toBe(true);
        }
        expect(new Set(metric.inputs.map((item) => item.symbol)).size, metric.id).toBe(metric.inputs.length);
      }
    }
  });
});

describe('hand-computed values for the default scenario (Mixtral 8×7B, 8×H100, EP=8, DP=8, TP=1, BF16)', () => {
  const scenario = defaultScenario();
  // Mixtral: d = 4096, 32 layers, 32 heads × 128, 8 KV heads, 8 experts of 14336 (SwiGLU), vocab 32000 untied.
  const attentionPerLayer = 2 * 4096 * 32 * 128 + 2 * 4096 * 8 * 128; // 41,943,040
  const perExpert = 3 * 4096 * 14336; // 176,160,768
  const embeddings = 2 * 32000 * 4096;
  const routers = 32 * 4096 * 8;
  const nonExpert = 32 * attentionPerLayer + routers + embeddings;
  const routed = 32 * 8 * perExpert;

  it('parameter counts', () => {
    expect(value(scenario, 'attentionParamsPerLayer')).toBe(41_943_040);
    expect(value(scenario, 'paramsPerExpert')).toBe(176_160_768);
    expect(value(scenario, 'totalParams')).toBe(nonExpert + routed);
    expect(value(scenario, 'totalParams')).toBe(46_702_526_464);
    expect(value(scenario, 'activeParams')).toBe(nonExpert + 32 * 2 * perExpert);
    expect(value(scenario, 'activeParams')).toBe(12_879_659_008);
  });

  it('tokens: t = b·s, t/DP, and N̄ = t·k/n', () => {
    const t = 512 * 4096;
    expect(value(scenario, 'tokensPerStep')).toBe(t);
    expect(value(scenario, 'tokensPerDevice')).toBe(t / 8);
    expect(value(scenario, 'meanTokensPerExpert')).toBe((t * 2) / 8);
    expect(value(scenario, 'meanTokensPerExpert')).toBe(524_288);
    const metric = metricsById(scenario).get('meanTokensPerExpert');
    expect(metric?.formula).toBe('N̄ = t · k / n');
    expect(inputsOf(metric as Metric)).toEqual({ t, k: 2, n: 8 });
  });

  it('weight memory per GPU: non-expert / TP + routed / (EP·TP), 2 bytes each', () => {
    const bytes = (nonExpert / 1 + routed / (8 * 1)) * 2;
    expect(value(scenario, 'weightMemoryPerGpu')).toBe(bytes);
    expect(value(scenario, 'weightMemoryPerGpu')).toBe(14_485_028_864);
    expect(value(scenario, 'weightMemoryFraction')).toBeCloseTo(bytes / 80e9, 12);
  });

  it('FLOPs per token: 3·(2·N_active,non-emb + 2·L·n_ctx·d_attn) in training', () => {
    const activeNonEmbedding = nonExpert - embeddings + 32 * 2 * perExpert;
    const forward = 2 * activeNonEmbedding + 2 * 32 * 4096 * (32 * 128);
    expect(value(scenario, 'flopsPerToken')).toBe(3 * forward);
    expect(value(scenario, 'flopsPerToken')).toBe(78_926_315_520);
    expect(metricsById(scenario).get('flopsPerToken')?.flag).toBeUndefined();
  });

  it('a sequence longer than the model’s context is computed as asked, and flagged beside the figure', () => {
    const long = metricsById(scenarioWith([['seq', 65536]])).get('flopsPerToken');
    expect(long?.flag).toBe('context above the model’s 32,768 tokens');
    expect(long?.note).toMatch(/65,536 tokens, is longer than the longest context/);
    expect(long?.value).toBeGreaterThan(value(scenario, 'flopsPerToken'));
  });

  it('cluster shape: 8 GPUs on one node, one expert per GPU', () => {
    expect(value(scenario, 'worldSize')).toBe(8);
    expect(value(scenario, 'nodes')).toBe(1);
    expect(value(scenario, 'expertsPerGpu')).toBe(1);
  });
});

describe('how settings move the metrics', () => {
  it('decode processes one token per sequence: tokens = batch', () => {
    const decode = scenarioWith([
      ['mode', 'decode'],
      ['batch', '64'],
    ]);
    expect(value(decode, 'tokensPerStep')).toBe(64);
    expect(value(decode, 'tokensPerDevice')).toBe(8);
    expect(value(decode, 'meanTokensPerExpert')).toBe((64 * 2) / 8);
    expect(
      metricsById(decode)
        .get('tokensPerStep')
        ?.inputs.map((item) => item.symbol),
    ).toEqual(['b']);
  });

  it('prefill processes whole prompts and counts forward FLOPs only', () => {
    const training = defaultScenario();
    const prefill = scenarioWith([['mode', 'prefill']]);
    expect(value(prefill, 'tokensPerStep')).toBe(512 * 4096);
    expect(value(prefill, 'flopsPerToken') * 3).toBe(value(training, 'flopsPerToken'));
    expect(metricsById(prefill).get('flopsPerToken')?.label).toContain('forward');
  });

  it('ZeRO-3 shards all weights across the DP ranks', () => {
    const zero3 = scenarioWith([
      ['zero', '3'],
      ['dp', '16'],
    ]);
    const total = value(zero3, 'totalParams');
    expect(value(zero3, 'weightMemoryPerGpu')).toBe((total / 16) * 2);
    const metric = metricsById(zero3).get('weightMemoryPerGpu');
    expect(metric?.inputs.map((item) => item.symbol)).toContain('DP');
    // ZeRO-2 does not shard weights: the same DP gives the EP split.
    const zero2 = scenarioWith([['dp', '16']]);
    expect(value(zero2, 'weightMemoryPerGpu')).toBe(value(defaultScenario(), 'weightMemoryPerGpu'));
    expect(value(zero3, 'weightMemoryPerGpu')).toBeLessThan(value(zero2, 'weightMemoryPerGpu'));
  });

  it('TP splits every weight, EP only the routed experts', () => {
    const base = value(defaultScenario(), 'weightMemoryPerGpu');
    const tp2 = scenarioWith([
      ['tp', '2'],
      ['dp', '8'],
    ]);
    expect(value(tp2, 'weightMemoryPerGpu')).toBe(base / 2);
    expect(value(tp2, 'worldSize')).toBe(16);
    expect(value(tp2, 'nodes')).toBe(2);
    const ep4 = scenarioWith([['ep', '4']]);
    expect(value(ep4, 'expertsPerGpu')).toBe(2);
    expect(value(ep4, 'weightMemoryPerGpu')).toBeGreaterThan(base);
  });

  it('FP8 inference serves FP8 weights: half the bytes of BF16', () => {
    const bf16 = scenarioWith([['mode', 'prefill']]);
    const fp8 = scenarioWith([
      ['mode', 'prefill'],
      ['precision', 'fp8'],
    ]);
    expect(value(fp8, 'weightMemoryPerGpu')).toBe(value(bf16, 'weightMemoryPerGpu') / 2);
  });

  it('FP8 training computes in FP8 but holds BF16 weights and gradients, as its checkpoint saves', () => {
    const fp8 = scenarioWith([['precision', 'fp8']]);
    const bf16 = defaultScenario();
    expect(value(fp8, 'weightMemoryPerGpu')).toBe(value(bf16, 'weightMemoryPerGpu'));
    expect(value(fp8, 'trainingStateMemoryPerGpu')).toBe(value(bf16, 'trainingStateMemoryPerGpu'));
    const weights = metricsById(fp8).get('weightMemoryPerGpu');
    expect(inputsOf(weights!).B_w).toBe(2);
    expect(weights?.source).toContain('DeepSeek-V3');
  });

  it('a larger GPU memory lowers the weight fraction', () => {
    const h200 = scenarioWith([['gpu', 'h200']]);
    expect(value(h200, 'weightMemoryFraction')).toBeCloseTo(value(h200, 'weightMemoryPerGpu') / 141e9, 12);
  });
});

/** Each metric's value recomputed from the inputs it shows: the displayed work really gives the number. */
const FROM_INPUTS: Record<string, (i: Record<string, number>, metric: Metric) => number> = {
  totalParams: (i) => (i['P_non-expert'] ?? NaN) + (i.L_moe ?? NaN) * (i.n ?? NaN) * (i.P_expert ?? NaN),
  activeParams: (i) => (i['P_non-expert'] ?? NaN) + (i.L_moe ?? NaN) * (i.k ?? NaN) * (i.P_expert ?? NaN),
  paramsPerExpert: (i, m) =>
    (m.formula.startsWith('P_expert = 3') ? 3 : 2) * (i.d ?? NaN) * (i.f_expert ?? NaN),
  attentionParamsPerLayer: (i, m) => {
    const d = i.d ?? NaN;
    const heads = i.H ?? NaN;
    const headDim = i.h_d ?? NaN;
    if (!m.formula.startsWith('MLA')) return 2 * d * heads * headDim + 2 * d * (i.H_kv ?? NaN) * headDim;
    const rope = i.h_r ?? NaN;
    const kvRank = i.r_kv ?? NaN;
    // The formula shows query compression (d·r_q + r_q·H·…) or a direct query projection (d·H·…).
    const query = m.formula.includes('r_q')
      ? d * (i.r_q ?? NaN) + (i.r_q ?? NaN) * heads * (headDim + rope)
      : d * heads * (headDim + rope);
    return query + d * (kvRank + rope) + kvRank * heads * 2 * headDim + heads * headDim * d;
  },
  flopsPerToken: (i, m) =>
    (m.formula.startsWith('C = 3') ? 3 : 1) *
    (2 * (i.N_active ?? NaN) + 2 * (i.L ?? NaN) * (i.n_ctx ?? NaN) * (i.d_attn ?? NaN)),
  weightMemoryPerGpu: (i) =>
    i.DP !== undefined
      ? (((i['P_non-expert'] ?? NaN) + (i.P_routed ?? NaN)) / ((i.TP ?? NaN) * i.DP)) * (i.B_w ?? NaN)
      : ((i['P_non-expert'] ?? NaN) / (i.TP ?? NaN) + (i.P_routed ?? NaN) / ((i.EP ?? NaN) * (i.TP ?? NaN))) *
        (i.B_w ?? NaN),
  weightMemoryFraction: (i) => (i.M ?? NaN) / (i.M_GPU ?? NaN),
  trainingStateMemoryPerGpu: (i) => (i.M_weights ?? NaN) + (i.M_gradients ?? NaN) + (i.M_optimizer ?? NaN),
  trainingStateMemoryFraction: (i) => (i.M_states ?? NaN) / (i.M_GPU ?? NaN),
  tokensPerStep: (i) => (i.b ?? NaN) * (i.s ?? 1),
  tokensPerDevice: (i) => Math.ceil((i.b ?? NaN) / (i.DP ?? NaN)) * (i.s ?? NaN),
  meanTokensPerExpert: (i) => ((i.t ?? NaN) * (i.k ?? NaN)) / (i.n ?? NaN),
  worldSize: (i) => (i.DP ?? NaN) * (i.TP ?? NaN),
  nodes: (i) => Math.ceil((i.G ?? NaN) / (i.G_node ?? NaN)),
  expertsPerGpu: (i) => (i.n ?? NaN) / (i.EP ?? NaN),
};

describe('the attention formula matches the attention kind', () => {
  it.each([
    ['mixtral-8x7b', false, false],
    ['deepseek-v3', true, true],
    ['deepseek-v2-lite', true, false],
  ])('%s: MLA %s, query compression %s', (model, mla, compressedQuery) => {
    const metric = metricsById(scenarioWith([['model', model]])).get('attentionParamsPerLayer') as Metric;
    expect(metric.formula.startsWith('MLA')).toBe(mla);
    expect(metric.formula.includes('r_q')).toBe(compressedQuery);
    expect(metric.value).toBe(FROM_INPUTS.attentionParamsPerLayer?.(inputsOf(metric), metric));
  });
});

describe('properties over random valid scenarios', () => {
  it('every metric is finite and non-negative, and so is every input', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        for (const metric of summaryMetrics(scenario)) {
          expect(Number.isFinite(metric.value), metric.id).toBe(true);
          expect(metric.value, metric.id).toBeGreaterThanOrEqual(0);
          for (const item of metric.inputs) {
            expect(Number.isFinite(item.value), `${metric.id}.${item.symbol}`).toBe(true);
            expect(item.value, `${metric.id}.${item.symbol}`).toBeGreaterThanOrEqual(0);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('each value follows from the inputs it shows', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        for (const metric of summaryMetrics(scenario)) {
          const recompute = FROM_INPUTS[metric.id];
          if (!recompute) throw new Error(`no recomputation for ${metric.id}`);
          const expected = recompute(inputsOf(metric), metric);
          expect(Math.abs(metric.value - expected), metric.id).toBeLessThanOrEqual(
            Math.abs(expected) * 1e-12,
          );
        }
      }),
      { numRuns: 500 },
    );
  });

  it('relations between metrics hold', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const m = (id: string) => value(scenario, id);
        expect(m('activeParams')).toBeLessThanOrEqual(m('totalParams'));
        expect(m('activeParams')).toBeGreaterThan(0);
        // Whole sequences per rank: the busiest rank's share covers t / DP, and is less than one sequence above it.
        const perSequence = scenario.workload.mode === 'decode' ? 1 : scenario.workload.seqLen;
        expect(m('tokensPerDevice') * scenario.parallelism.dp).toBeGreaterThanOrEqual(m('tokensPerStep'));
        expect((m('tokensPerDevice') - perSequence) * scenario.parallelism.dp).toBeLessThan(
          m('tokensPerStep'),
        );
        expect(Number.isInteger(m('expertsPerGpu'))).toBe(true);
        expect(m('expertsPerGpu')).toBeGreaterThanOrEqual(1);
        expect(m('nodes') * scenario.hardware.gpusPerNode).toBeGreaterThanOrEqual(m('worldSize'));
        expect((m('nodes') - 1) * scenario.hardware.gpusPerNode).toBeLessThan(m('worldSize'));
        expect(m('weightMemoryPerGpu')).toBeLessThanOrEqual(m('totalParams') * 2);
      }),
      { numRuns: 300 },
    );
  });
});

describe('tokens per data-parallel rank come in whole sequences', () => {
  it('a batch smaller than DP leaves ranks idle, and the busiest rank holds one sequence, not a fraction', () => {
    const { scenario } = applyEntries(defaultScenario(), [
      ['mode', 'decode'],
      ['batch', 1],
    ]);
    const metric = summaryMetrics(scenario).find((each) => each.id === 'tokensPerDevice');
    expect(metric?.value).toBe(1);
    expect(metric?.label).toBe('Tokens on the busiest DP rank');
    expect(metric?.note).toBe('Only 1 of the 8 data-parallel ranks get a sequence; the others idle.');
    const uneven = applyEntries(defaultScenario(), [['batch', 12]]).scenario;
    expect(value(uneven, 'tokensPerDevice')).toBe(2 * 4096);
  });
});

describe('model states in training (ZeRO)', () => {
  it('Mixtral 8×7B on 8 H100s (EP 8, DP 8, ZeRO-2): experts are not replicated, so their Adam states do not fit', () => {
    const states = metricsById(defaultScenario()).get('trainingStateMemoryPerGpu');
    const inputs = inputsOf(states as Metric);
    // Weights as the weight-memory figure; ZeRO-2 partitions gradients and Adam states over their replicas, which for
    // the experts are DP/EP = 1: no partitioning.
    expect(inputs.M_weights).toBe(value(defaultScenario(), 'weightMemoryPerGpu'));
    expect(inputs['DP/EP']).toBe(1);
    expect(value(defaultScenario(), 'trainingStateMemoryFraction')).toBeGreaterThan(1);
    // Said beside the figure, not only in its working.
    expect(metricsById(defaultScenario()).get('trainingStateMemoryFraction')?.flag).toBe('does not fit');
    // Twice the data parallelism gives each expert two replicas to partition over: it fits.
    expect(value(scenarioWith([['dp', 16]]), 'trainingStateMemoryFraction')).toBeLessThan(1);
    expect(metricsById(scenarioWith([['dp', 16]])).get('trainingStateMemoryFraction')).not.toHaveProperty(
      'flag',
    );
  });

  it('shrink with each ZeRO stage, and are not listed for inference', () => {
    const at = (zero: string) =>
      value(
        scenarioWith([
          ['zero', zero],
          ['dp', 32],
        ]),
        'trainingStateMemoryPerGpu',
      );
    expect(at('0')).toBeGreaterThan(at('1'));
    expect(at('1')).toBeGreaterThan(at('2'));
    expect(at('2')).toBeGreaterThan(at('3'));
    expect(metricsById(scenarioWith([['mode', 'prefill']])).has('trainingStateMemoryPerGpu')).toBe(false);
  });
});

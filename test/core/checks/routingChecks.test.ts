import { formatInput, formatValue } from '../../../src/core/format';
import { describe, expect, it } from 'vitest';
import { evaluateCheck, evaluatePaperChecks, PAPER_CHECKS } from '../../../src/core/checks/registry';
import { ROUTING_CHECKS } from '../../../src/core/checks/routingChecks';
import type { PaperCheck } from '../../../src/core/checks/types';
import { routingMetrics } from '../../../src/core/routing/metrics';
import { routeStep } from '../../../src/core/routing/routeStep';
import { resolveArchitecture } from '../../../src/core/scenario/resolve';
import { decodeFragment } from '../../../src/core/scenario/shareLink';

function routingCheck(id: string): PaperCheck {
  const found = ROUTING_CHECKS.find((check) => check.id === id);
  if (!found) throw new Error(`missing check ${id}`);
  return found;
}

describe('routing paper checks (Capacity-Aware Inference)', () => {
  it('are registered after the size checks', () => {
    const ids = PAPER_CHECKS.map((check) => check.id);
    const start = ids.indexOf('routing.capacity-bound');
    expect(ids.slice(0, start).every((id) => id.startsWith('size.'))).toBe(true);
    expect(ids.slice(start, start + ROUTING_CHECKS.length)).toEqual([
      'routing.capacity-bound',
      'routing.dt-equation',
      'routing.olmoe-peak',
    ]);
  });

  it('reproduce the paper’s deployment: OLMoE, DP8 × EP8 prefill, the measured profile, ≤ 2,048 tokens/device', () => {
    for (const check of ROUTING_CHECKS) {
      const { scenario, messages } = decodeFragment(check.fragment);
      expect(messages, check.id).toEqual([]);
      expect(scenario.model.preset, check.id).toBe('olmoe-1b-7b');
      expect(resolveArchitecture(scenario).experts).toBe(64);
      expect(scenario.parallelism, check.id).toMatchObject({ dp: 8, ep: 8 });
      expect(scenario.workload.mode, check.id).toBe('prefill');
      expect(scenario.routing.profile, check.id).toBe('olmoe');
      expect(scenario.routing.tokensPerDevice, check.id).toBeLessThanOrEqual(2048);
    }
    for (const id of ['routing.capacity-bound', 'routing.dt-equation']) {
      const { routing } = decodeFragment(routingCheck(id).fragment).scenario;
      expect(routing).toMatchObject({
        capacity: 'expert',
        capacityFactor: 1.5,
        dropPolicy: 'score',
        expandedDrop: false,
      });
    }
  });

  it('Eq. 6: the cap binds (max load before > C) and the load after never exceeds C', () => {
    const result = evaluateCheck(routingCheck('routing.capacity-bound'));
    expect(result.paperFigure).toEqual({ kind: 'at-most', bound: 1 });
    expect(result.verdict).toBe('meets');
    expect(result.modelValue).toBe(1);
    const inputs = Object.fromEntries(result.metric.inputs.map((item) => [item.symbol, item.value]));
    expect(inputs['max N']).toBeGreaterThan(inputs['C'] ?? Infinity);
    expect(inputs['max N′']).toBeLessThanOrEqual(inputs['C'] ?? 0);
  });

  it('Eq. 11: DT from the kept counts equals Σ max(0, N − C)/Σ N exactly in every layer, with a binding cap', () => {
    const result = evaluateCheck(routingCheck('routing.dt-equation'));
    // An identity, not a figure the paper reports: the model's figure is the largest deviation over the layers.
    expect(result.paperFigure).toEqual({ kind: 'identity' });
    expect(result.verdict).toBe('meets');
    expect(result.modelValue).toBe(0);
    expect(result.metric.label).toMatch(/^Largest deviation/);
    const inputs = Object.fromEntries(result.metric.inputs.map((item) => [item.symbol, item.value]));
    expect(inputs['DT_kept']).toBeGreaterThan(0.05);
    expect(inputs['DT_kept']).toBe(inputs['DT_Eq.11']);
  });

  it('Fig. 1: the OLMoE peak is computed from the model; below "more than 7×" it is close, not a tick', () => {
    const result = evaluateCheck(routingCheck('routing.olmoe-peak'));
    expect(result.paperFigure).toEqual({ kind: 'more-than', bound: 7 });
    expect(result.modelValue).toBeGreaterThan(5);
    expect(result.modelValue).toBeLessThan(7);
    expect(result.verdict).toBe('close');
    expect(result.withinTolerance).toBe(true);
    expect(result.gapExplanation?.length ?? 0).toBeGreaterThan(100);
  });

  it('Fig. 1: the working connects the peak to the two ratios the Routing lab it opens shows', () => {
    const check = routingCheck('routing.olmoe-peak');
    const { scenario } = decodeFragment(check.fragment);
    const metric = check.compute(scenario);
    const inputs = Object.fromEntries(metric.inputs.map((item) => [item.symbol, item.value]));
    // The lab on the same scenario (MoE layer 0, batch 0, as the link opens it).
    const lab = Object.fromEntries(
      routingMetrics(scenario, routeStep(scenario, 0), 0).map((each) => [each.id, each.value]),
    );
    const peak = inputs['max N'] ?? 0;
    const capacity = inputs['C'] ?? 0;
    const meanPerDevice = inputs['N̄_d'] ?? 0;
    expect(lab['routing.maxDeviceLoadOverCapacity']).toBeCloseTo(peak / capacity, 12);
    expect(metric.value).toBeCloseTo((peak / capacity) * (capacity / meanPerDevice), 12);
    // The note names both lab figures with the numbers the lab prints.
    expect(metric.note).toContain(
      `${formatInput(peak, '')} / ${capacity} = ${formatValue(peak / capacity, '')}`,
    );
    expect(metric.note).toContain(
      `"Peak expert load / mean" (${formatValue(lab['routing.maxOverMean'] ?? 0, '')})`,
    );
    expect(metric.note).not.toMatch(/\.00\b/);
  });

  it('evaluating every paper check takes under a second', () => {
    evaluatePaperChecks(); // warm up the JIT, as the app's second visit would be
    let best = Infinity;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const start = performance.now();
      evaluatePaperChecks();
      best = Math.min(best, performance.now() - start);
    }
    expect(best).toBeLessThan(1000);
  });
});

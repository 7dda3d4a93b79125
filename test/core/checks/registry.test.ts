import { describe, expect, it } from 'vitest';
import { MODEL_PRESETS } from '../../../src/core/catalog/models';
import { PAPER_CHECKS, evaluateCheck, evaluatePaperChecks } from '../../../src/core/checks/registry';
import type { PaperCheck } from '../../../src/core/checks/types';
import { decodeFragment, encodeFragment, linkView } from '../../../src/core/scenario/shareLink';

/** model/paper − 1, or model − paper when the paper's figure is 0 (an identity with no scale). */
function expectedGap(modelValue: number, paperValue: number): number {
  return paperValue === 0 ? modelValue - paperValue : modelValue / paperValue - 1;
}

function check(id: string): PaperCheck {
  const found = PAPER_CHECKS.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`missing check ${id}`);
  return found;
}

describe('paper check registry', () => {
  it('has unique ids and a claim, paper, source and fragment for every check', () => {
    const ids = PAPER_CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(PAPER_CHECKS.length).toBeGreaterThanOrEqual(20);
    for (const c of PAPER_CHECKS) {
      expect(c.claim.trim().length, c.id).toBeGreaterThan(10);
      expect(c.paper.trim().length, c.id).toBeGreaterThan(0);
      expect(c.source.trim().length, c.id).toBeGreaterThan(10);
      expect(c.fragment, c.id).toMatch(/^v=1(&|$)/);
      expect(c.tolerance, c.id).toBeLessThan(1);
      if ((c.comparison ?? 'approx') === 'approx') {
        expect(c.tolerance, c.id).toBeGreaterThan(0);
        expect(Number.isFinite(c.paperValue) && c.paperValue > 0, c.id).toBe(true);
      } else {
        // A bound ("never exceeds", "equals exactly") may demand zero slack, and an identity has paper value 0.
        expect(c.tolerance, c.id).toBeGreaterThanOrEqual(0);
        expect(Number.isFinite(c.paperValue) && c.paperValue >= 0, c.id).toBe(true);
      }
    }
  });

  it('has a total-size check for every preset that publishes one, and an active check where published', () => {
    for (const preset of MODEL_PRESETS) {
      if (!preset.published) continue;
      expect(check(`size.${preset.id}.total`).paperValue).toBe(preset.published.totalParams);
      if (preset.published.activeParams !== undefined) {
        expect(check(`size.${preset.id}.active`).paperValue).toBe(preset.published.activeParams);
      } else {
        expect(PAPER_CHECKS.some((c) => c.id === `size.${preset.id}.active`)).toBe(false);
      }
    }
  });

  it('every fragment decodes without messages and survives a round trip through a share link', () => {
    for (const c of PAPER_CHECKS) {
      const { scenario, messages } = decodeFragment(c.fragment);
      expect(messages, c.id).toEqual([]);
      expect(decodeFragment(encodeFragment(scenario, linkView(c.fragment))), c.id).toEqual({
        scenario,
        messages: [],
      });
    }
  });

  it('a preset whose experts EP=8 does not divide carries a compatible EP and DP in its link', () => {
    // EP=4 divides both the 60 experts and DP=8, so the cluster keeps its 8 GPUs.
    expect(check('size.qwen1.5-moe-a2.7b.total').fragment).toBe('v=1&model=qwen1.5-moe-a2.7b&ep=4');
    expect(check('size.mixtral-8x7b.total').fragment).toBe('v=1&model=mixtral-8x7b');
    expect(check('size.deepseek-v3.active').fragment).toBe('v=1&model=deepseek-v3');
  });

  it('opens each check on the lab that shows it: routing and checkpointing checks on theirs, sizes on the Summary', () => {
    for (const c of PAPER_CHECKS) {
      const labByPrefix: Record<string, string | undefined> = {
        routing: 'routing',
        checkpoint: 'checkpointing',
      };
      const expected = labByPrefix[c.id.split('.')[0] ?? ''];
      expect(linkView(c.fragment).lab, c.id).toBe(expected);
    }
  });

  it('size checks reproduce the model named in their id', () => {
    for (const c of PAPER_CHECKS.filter((candidate) => candidate.id.startsWith('size.'))) {
      const model = c.id.split('.').slice(1, -1).join('.');
      expect(decodeFragment(c.fragment).scenario.model.preset, c.id).toBe(model);
    }
  });
});

describe('evaluating checks', () => {
  const results = evaluatePaperChecks();

  it('evaluates every registered check by default, in order', () => {
    expect(results.map((r) => r.id)).toEqual(PAPER_CHECKS.map((c) => c.id));
    expect(evaluatePaperChecks([check('size.dbrx.total')]).map((r) => r.id)).toEqual(['size.dbrx.total']);
    expect(evaluatePaperChecks([])).toEqual([]);
  });

  it('results carry finite numbers and a consistent verdict', () => {
    for (const r of results) {
      for (const key of ['paperValue', 'modelValue', 'relativeGap', 'tolerance'] as const) {
        expect(Number.isFinite(r[key]), `${r.id}.${key}`).toBe(true);
      }
      // A model figure of 0 on an approximate claim can only be a documented gap (the model finds none of it).
      if (r.comparison === 'approx' && r.withinTolerance) expect(r.modelValue, r.id).toBeGreaterThan(0);
      else expect(r.modelValue, r.id).toBeGreaterThanOrEqual(0);
      expect(r.metric.value, r.id).toBe(r.modelValue);
      expect(r.relativeGap, r.id).toBeCloseTo(expectedGap(r.modelValue, r.paperValue), 12);
      expect(r.withinTolerance, r.id).toBe(
        r.comparison === 'at-most'
          ? r.modelValue <= r.paperValue * (1 + r.tolerance)
          : Math.abs(r.relativeGap) <= r.tolerance,
      );
      expect(r.unit, r.id).toBe(r.metric.unit);
      expect(r.metric.source.length, r.id).toBeGreaterThan(0);
    }
  });

  it.each(['mixtral-8x7b', 'deepseek-v3', 'olmoe-1b-7b'])(
    'the required size checks of %s are within tolerance',
    (model) => {
      const own = results.filter((r) => r.id.startsWith(`size.${model}.`));
      expect(own.map((r) => r.id).sort()).toEqual([`size.${model}.active`, `size.${model}.total`]);
      for (const r of own) {
        expect(r.withinTolerance, `${r.id} gap ${r.relativeGap}`).toBe(true);
        expect(Math.abs(r.relativeGap), r.id).toBeLessThanOrEqual(0.03);
      }
    },
  );

  it('every result outside tolerance explains its gap', () => {
    for (const r of results.filter((candidate) => !candidate.withinTolerance)) {
      expect(r.gapExplanation?.trim().length ?? 0, r.id).toBeGreaterThan(20);
    }
  });

  it('only the documented honest gaps fall outside tolerance', () => {
    const outside = results.filter((r) => !r.withinTolerance).map((r) => r.id);
    expect(outside.sort()).toEqual(
      [
        'size.deepseek-v2-lite.active',
        'size.gpt-350m-16e.total',
        'size.gpt2-moe-medium.total',
        'size.llama2-moe.total',
        'size.switch-base-128.total',
        'checkpoint.moc-async.case1.residualOverhead',
        'checkpoint.moc-async.case2.residualOverhead',
        'checkpoint.moc-async.case3.residualOverhead',
      ].sort(),
    );
  });
});

describe('the model never reads the paper value', () => {
  it.each(PAPER_CHECKS.map((c) => [c.id, c] as const))(
    '%s: changing paperValue changes only the gap',
    (_id, c) => {
      const original = evaluateCheck(c);
      for (const paperValue of [1, 1e30, c.paperValue * 2, 0.5]) {
        const altered: PaperCheck = { ...c, paperValue };
        const result = evaluateCheck(altered);
        expect(result.modelValue).toBe(original.modelValue);
        expect(result.metric).toEqual(original.metric);
        expect(result.paperValue).toBe(paperValue);
        expect(result.relativeGap).toBeCloseTo(expectedGap(original.modelValue, paperValue), 9);
      }
      // Nor does compute touch the check object: a copy whose paperValue throws when read still computes.
      const trap = Object.defineProperty({ ...c }, 'paperValue', {
        get() {
          throw new Error('paperValue was read');
        },
      }) as PaperCheck;
      expect(trap.compute(decodeFragment(trap.fragment).scenario).value).toBe(original.modelValue);
    },
  );
});

import { describe, expect, it } from 'vitest';
import {
  checkpointComposition,
  pecCheckpointBytes,
  pecStatesBytes,
} from '../../../src/core/checkpoint/sizes';
import { evaluateCheck, PAPER_CHECKS } from '../../../src/core/checks/registry';
import { RELATIVE_SIZE_CHECKS } from '../../../src/core/checks/relativeSizeChecks';
import { decodeFragment } from '../../../src/core/scenario/shareLink';
import { applyEntries } from '../../../src/core/scenario/validate';

/** MoC Fig. 2's shares of the GPT-350M-16E checkpoint: expert weights 12%, expert optimizer states 74%. */
const FIG2 = { weights: 0.12, optimizer: 0.74 };
/** MoC Table 3's relative sizes with K_snapshot = 4 of 16. */
const TABLE3 = { w: 0.88, o: 0.54, wo: 0.42 };

function check(id: string) {
  const found = RELATIVE_SIZE_CHECKS.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`missing ${id}`);
  return found;
}

describe('MoC Table 3: relative checkpoint size with PEC (W, O, WO)', () => {
  it('registers W, O and WO, on the MoC-Async job with K_snapshot = 4 of 16', () => {
    expect(RELATIVE_SIZE_CHECKS.map((c) => c.id)).toEqual([
      'checkpoint.table3.w.relativeSize',
      'checkpoint.table3.o.relativeSize',
      'checkpoint.table3.wo.relativeSize',
    ]);
    for (const c of RELATIVE_SIZE_CHECKS) {
      expect(PAPER_CHECKS).toContain(c);
      const { scenario, messages } = decodeFragment(c.fragment);
      expect(messages).toEqual([]);
      expect(scenario.model.preset).toBe('gpt-350m-16e');
      expect(scenario.checkpoint.pec).toBe(true);
      expect(scenario.checkpoint.expertsPerCheckpoint).toBe(4);
      expect(checkpointComposition(scenario).experts).toBe(16);
    }
    expect(check('checkpoint.table3.w.relativeSize').paperFigure).toEqual({ kind: 'value', value: TABLE3.w });
    expect(check('checkpoint.table3.o.relativeSize').paperFigure).toEqual({ kind: 'value', value: TABLE3.o });
    expect(check('checkpoint.table3.wo.relativeSize').paperFigure).toEqual({
      kind: 'value',
      value: TABLE3.wo,
    });
  });

  it('computes each size from the model: WO is C_pec / C_full (Eq. 6), W and O thin one state', () => {
    const { scenario } = decodeFragment(check('checkpoint.table3.wo.relativeSize').fragment);
    const c = checkpointComposition(scenario);
    const wo = evaluateCheck(check('checkpoint.table3.wo.relativeSize')).modelValue;
    expect(wo).toBeCloseTo(pecCheckpointBytes(c, 4) / c.fullBytes, 12);
    expect(evaluateCheck(check('checkpoint.table3.w.relativeSize')).modelValue).toBeCloseTo(
      1 - (12 / 16) * (c.expertWeightBytes / c.fullBytes),
      12,
    );
    expect(evaluateCheck(check('checkpoint.table3.o.relativeSize')).modelValue).toBeCloseTo(
      1 - (12 / 16) * (c.expertOptimizerBytes / c.fullBytes),
      12,
    );
    // Another K moves it: the model computes, it does not read the paper.
    const k8 = applyEntries(scenario, [['checkpoint.expertsPerCheckpoint', 8]]).scenario;
    expect(check('checkpoint.table3.wo.relativeSize').compute(k8).value).toBeCloseTo(
      pecCheckpointBytes(c, 8) / c.fullBytes,
      12,
    );
    expect(pecStatesBytes(c, 16, { weights: true, optimizer: true })).toBe(c.fullBytes);
    expect(pecStatesBytes(c, 4, { weights: false, optimizer: false })).toBe(c.fullBytes);
  });

  it('quotes figures that the arithmetic gives (the gap explanation)', () => {
    const text = check('checkpoint.table3.wo.relativeSize').gapExplanation ?? '';
    const { scenario } = decodeFragment(check('checkpoint.table3.wo.relativeSize').fragment);
    const c = checkpointComposition(scenario);
    const percent = (value: number) => `${(100 * value).toFixed(1)}%`;
    const sw = c.expertWeightBytes / c.fullBytes;
    const so = c.expertOptimizerBytes / c.fullBytes;
    expect(text).toContain(`${percent(sw)} and ${percent(so)}`);
    const left = 1 - 4 / 16;
    const model = { w: 1 - left * sw, o: 1 - left * so, wo: 1 - left * (sw + so) };
    expect(text).toContain(
      `W = ${model.w.toFixed(3)}, O = ${model.o.toFixed(3)}, WO = ${model.wo.toFixed(3)}`,
    );
    // Fig. 2's rounded shares.
    expect(1 - left * FIG2.weights).toBeCloseTo(0.91, 12);
    expect(1 - left * FIG2.optimizer).toBeCloseTo(0.445, 12);
    expect(1 - left * (FIG2.weights + FIG2.optimizer)).toBeCloseTo(0.355, 12);
    expect(text).toContain('give 0.91, 0.445 and 0.355');
    // Table 3 is consistent with Eq. 6 (W + O − 1 = WO) and implies its own shares.
    expect(TABLE3.w + TABLE3.o - 1).toBeCloseTo(TABLE3.wo, 12);
    const implied = { w: (1 - TABLE3.w) / left, o: (1 - TABLE3.o) / left };
    expect(text).toContain(`s_w = ${Math.round(100 * implied.w)}% and s_o = ${Math.round(100 * implied.o)}%`);
    expect(text).toContain(
      `experts ${Math.round(100 * (implied.w + implied.o))}% of the checkpoint, their optimizer states ${(implied.o / implied.w).toFixed(1)}×`,
    );
    expect(text).toContain(
      `Fig. 2 has ${Math.round(100 * (FIG2.weights + FIG2.optimizer))}% and ${(FIG2.optimizer / FIG2.weights).toFixed(1)}×`,
    );
    // And no one set of shares gives both: Fig. 2's would need Table 3's W, O and WO, which they miss.
    expect(Math.abs(1 - left * FIG2.weights - TABLE3.w)).toBeGreaterThan(0.02);
    expect(Math.abs(1 - left * FIG2.optimizer - TABLE3.o)).toBeGreaterThan(0.02);
  });

  it('W is close to Table 3; O and WO miss it by more than Fig. 2’s rounding can explain', () => {
    expect(evaluateCheck(check('checkpoint.table3.w.relativeSize')).verdict).toBe('close');
    expect(evaluateCheck(check('checkpoint.table3.o.relativeSize')).verdict).toBe('outside');
    expect(evaluateCheck(check('checkpoint.table3.wo.relativeSize')).verdict).toBe('outside');
  });
});

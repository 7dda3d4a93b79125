import { reconcileCombinations } from './combinations';
import { readField, writeField } from './fieldAccess';
import type { NumericField } from './fieldTypes';
import type { Scenario } from './types';

/** Decimal places of a step (0.01 → 2), so repeated steps do not drift into float noise such as 0.30000000000000004. */
function stepDecimals(step: number): number {
  let decimals = 0;
  for (let scaled = step; decimals < 15 && Math.abs(scaled - Math.round(scaled)) > 1e-9; scaled *= 10)
    decimals += 1;
  return decimals;
}

/**
 * The value an arrow key or a spinner should step a number field to from `from`: the nearest value in `direction`,
 * on the field's step and within its bounds, that the scenario keeps as set once impossible combinations are fixed
 * (the validator's own judgement, so the rules live in one place). EP on DeepSeek-V3's 256 experts steps 8 → 16, not
 * to 9 only to be put back to 8; DP steps by multiples of EP. A value the scenario keeps may still change other fields
 * (EP above DP raises DP); that is the validator's fix, explained as any edit's is. Undefined when no value in that
 * direction holds (the bound, or EP already at the expert count). Each candidate costs one reconcile (~50 µs), so
 * the worst case, EP stepped up from the expert count to its bound of 4096, takes a fifth of a second once.
 */
export function steppedValue(
  scenario: Scenario,
  field: NumericField,
  from: number,
  direction: 1 | -1,
): number | undefined {
  const decimals = stepDecimals(field.step);
  const round = (value: number) => Number(value.toFixed(decimals));
  const start = Math.min(field.max, Math.max(field.min, from));
  // From outside the bounds, the first step lands on the bound it crosses.
  let candidate =
    from < field.min && direction > 0
      ? field.min
      : from > field.max && direction < 0
        ? field.max
        : round(start + direction * field.step);
  while (candidate >= field.min && candidate <= field.max) {
    // Within bounds and on the step already, so only the combinations can refuse it.
    const result = reconcileCombinations(writeField(scenario, field, candidate)).scenario;
    if (readField(result, field) === candidate) return candidate;
    candidate = round(candidate + direction * field.step);
  }
  return undefined;
}

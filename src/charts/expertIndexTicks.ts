/** Room one expert number needs, in CSS pixels: three digits of 11 px text and a gap. */
const LABEL_PX = 26;
/** Steps between numbered experts: powers of two, so the numbers land on device and group boundaries. */
const STEPS = [1, 2, 4, 8, 16, 32, 64, 128];

/**
 * The experts to number under a row of per-expert bars `stepPx` apart: every expert when they are wide enough,
 * else every 2nd, 4th, … expert, the first step whose numbers do not touch. None when even every 128th would.
 */
export function expertIndexTicks(experts: number, stepPx: number): number[] {
  const step = STEPS.find((candidate) => candidate * stepPx >= LABEL_PX);
  if (step === undefined || experts <= 0) return [];
  const ticks: number[] = [];
  for (let expert = 0; expert < experts; expert += step) ticks.push(expert);
  return ticks;
}

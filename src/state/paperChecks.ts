import { evaluatePaperChecks, type PaperCheckResult } from '../core';

let results: PaperCheckResult[] | null = null;

/**
 * The paper checks, evaluated once per session: they depend on nothing the user sets, and evaluating them takes
 * ~130 ms here (they route and simulate each paper's setup), so neither the Learn tab nor a check opened from it
 * recomputes them.
 */
export function paperCheckResults(): PaperCheckResult[] {
  results ??= evaluatePaperChecks();
  return results;
}

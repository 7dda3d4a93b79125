import { DEFAULT_MODEL_ID, findModelPreset } from '../catalog/models';
import type { Scenario } from '../scenario/types';

/**
 * Bytes of optimizer state per parameter with mixed-precision Adam: an FP32 master copy of the weights and FP32 first
 * and second moments, 4 + 4 + 4 (ZeRO, Rajbhandari et al. 2020, §3.1: K = 12). The convention for a model whose
 * source says nothing else; MoC prints no figure (papers.md §1.4).
 */
export const MIXED_PRECISION_ADAM_OPTIMIZER_BYTES = 12;

/** B_o the chosen model preset was trained with where its source says so (ModelPreset.optimizerBytesPerParam), else 12. */
export function presetOptimizerBytesPerParam(scenario: Scenario): number {
  const preset = findModelPreset(scenario.model.preset) ?? findModelPreset(DEFAULT_MODEL_ID);
  return preset?.optimizerBytesPerParam?.bytes ?? MIXED_PRECISION_ADAM_OPTIMIZER_BYTES;
}

/** B_o (MoC Eq. 5) of the scenario: the value the user set, or the model preset's. */
export function optimizerBytesPerParam(scenario: Scenario): number {
  return scenario.checkpoint.optimizerBytesPerParam ?? presetOptimizerBytesPerParam(scenario);
}

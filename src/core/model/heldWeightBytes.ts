import { BYTES_PER_PARAM } from '../catalog/hardwareTypes';
import type { Precision } from '../catalog/hardwareTypes';
import type { WorkloadMode } from '../scenario/types';

/**
 * Bytes per weight training keeps. FP8 (and FP4) training computes in the low format but keeps the weights in
 * higher precision: DeepSeek-V3 (arXiv 2412.19437, §3.3.1–3.3.3) casts to FP8 only for the GEMMs and keeps the
 * master weights, weight gradients and optimizer states in BF16/FP32. So a training GPU holds BF16 weights and BF16
 * gradients (the FP32 master copy is part of the optimizer's bytes per parameter) and a training checkpoint saves
 * BF16 weights, whatever the compute precision.
 */
export const TRAINING_WEIGHT_BYTES = BYTES_PER_PARAM.bf16;

/** Bytes per weight a GPU holds: BF16 in training (above); the serving precision itself in inference. */
export function heldWeightBytes(mode: WorkloadMode, precision: Precision): number {
  return mode === 'training' ? TRAINING_WEIGHT_BYTES : BYTES_PER_PARAM[precision];
}

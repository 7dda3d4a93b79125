/**
 * How often GPUs fail in production training, as a published run measured it: the reference the Checkpointing lab's
 * failure rate is compared with, and the default of its per-GPU MTBF.
 */

/** Where Llama 3's failure figures come from. */
export const LLAMA3_FAILURES_SOURCE =
  'Llama Team, "The Llama 3 Herd of Models", arXiv 2407.21783, §3.3.4 (419 unexpected interruptions in a 54-day snapshot of pre-training on 16,384 H100 GPUs)';

/** GPUs of Llama 3 405B's pre-training job ("16K H100 GPUs"; Llama 3 §3.3.4). */
export const LLAMA3_GPUS = 16_384;
/** Length of the snapshot the interruptions were counted over, days (Llama 3 §3.3.4). */
export const LLAMA3_SNAPSHOT_DAYS = 54;
/** Unexpected interruptions in that snapshot, whatever their cause (of 466 in all, 47 planned; Llama 3 §3.3.4). */
export const LLAMA3_UNEXPECTED_INTERRUPTIONS = 419;

/**
 * GPU-hours per unexpected interruption in Llama 3's pre-training: 16,384 × 54 × 24 / 419 ≈ 50,677 h. Every
 * interruption is counted against the GPUs, as a per-GPU failure rate of the whole system (GPU issues, HBM3 included,
 * caused 58.7% of them; network, hosts and software most of the rest).
 */
// Llama 3 §3.3.4: GPUs × snapshot hours / unexpected interruptions.
export const LLAMA3_GPU_MTBF_HOURS =
  (LLAMA3_GPUS * LLAMA3_SNAPSHOT_DAYS * 24) / LLAMA3_UNEXPECTED_INTERRUPTIONS;

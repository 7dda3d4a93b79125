import { input, type Metric } from '../metric';
import { TRAINING_WEIGHT_BYTES } from '../model/heldWeightBytes';
import { optimizerBytesPerParam as scenarioOptimizerBytes } from '../model/optimizerBytes';
import { countParameters } from '../model/params';
import { resolveArchitecture } from '../scenario/resolve';
import type { Scenario } from '../scenario/types';

export const MOC_SOURCE = 'MoC-System (Cai et al., ASPLOS 2025)';

/** What a checkpoint holds (MoC §2.3, Fig. 2): weights and optimizer state of the expert and non-expert parts. */
export interface CheckpointComposition {
  /** P_ne: attention, dense FFNs, shared experts, routers and embeddings. */
  nonExpertParams: number;
  /** P_e: all routed experts of all MoE layers. */
  expertParams: number;
  paramsPerExpert: number;
  moeLayers: number;
  /** N: routed experts per MoE layer. */
  experts: number;
  /** B_w: bytes per weight saved (BF16 = 2, also when training computes in FP8 or FP4). */
  weightBytesPerParam: number;
  /** B_o: bytes of optimizer state per parameter (mixed-precision Adam = 12; DeepSeek-V3 = 8). */
  optimizerBytesPerParam: number;
  nonExpertWeightBytes: number;
  nonExpertOptimizerBytes: number;
  expertWeightBytes: number;
  expertOptimizerBytes: number;
  /** C_full (MoC Eq. 5). */
  fullBytes: number;
}

/** Bytes per weight a training checkpoint saves: the BF16 weights training keeps, whatever the compute precision. */
export const CHECKPOINT_WEIGHT_BYTES = TRAINING_WEIGHT_BYTES;

export function checkpointComposition(scenario: Scenario): CheckpointComposition {
  const arch = resolveArchitecture(scenario);
  const counts = countParameters(arch);
  // B_w (MoC Eq. 5): BF16 weights, not the compute precision (DeepSeek-V3 §3.3: FP8 is a compute format).
  const weightBytesPerParam = CHECKPOINT_WEIGHT_BYTES;
  // B_o (MoC Eq. 5): the user's, or the model preset's (DeepSeek-V3: 8, its report §3.3.3; otherwise 12).
  const optimizerBytesPerParam = scenarioOptimizerBytes(scenario);
  const nonExpertWeightBytes = counts.nonExpert * weightBytesPerParam;
  const nonExpertOptimizerBytes = counts.nonExpert * optimizerBytesPerParam;
  const expertWeightBytes = counts.routedExpert * weightBytesPerParam;
  const expertOptimizerBytes = counts.routedExpert * optimizerBytesPerParam;
  return {
    nonExpertParams: counts.nonExpert,
    expertParams: counts.routedExpert,
    paramsPerExpert: counts.perExpert,
    moeLayers: counts.moeLayers,
    experts: arch.experts,
    weightBytesPerParam,
    optimizerBytesPerParam,
    nonExpertWeightBytes,
    nonExpertOptimizerBytes,
    expertWeightBytes,
    expertOptimizerBytes,
    // MoC Eq. 5: C_full ≈ (P_ne + P_e)·(B_w + B_o).
    fullBytes: nonExpertWeightBytes + nonExpertOptimizerBytes + expertWeightBytes + expertOptimizerBytes,
  };
}

/** K as the model uses it: PEC off saves all N experts; on, K is clamped to [1, N] (MoC §3). */
export function effectiveExpertsPerCheckpoint(scenario: Scenario, k: number, experts: number): number {
  if (!scenario.checkpoint.pec) return experts;
  return Math.min(experts, Math.max(1, Math.round(k)));
}

/** K in force for the scenario's own setting on its composition (effectiveExpertsPerCheckpoint). */
export function expertsSavedPerCheckpoint(scenario: Scenario, composition: CheckpointComposition): number {
  return effectiveExpertsPerCheckpoint(
    scenario,
    scenario.checkpoint.expertsPerCheckpoint,
    composition.experts,
  );
}

/**
 * K_persist in force for a checkpoint of K experts: the requested figure rounded and kept in [1, K] with two-level
 * saving (MoC §5.1: the persisted experts are a subset of the snapshot); K itself without.
 */
export function effectiveExpertsPersisted(scenario: Scenario, kPersist: number, k: number): number {
  if (!scenario.checkpoint.twoLevel || !scenario.checkpoint.pec) return k;
  return Math.min(k, Math.max(1, Math.round(kPersist)));
}

/** C_pec(K): the non-expert part in full plus K of the N experts per MoE layer (MoC Eq. 6). */
export function pecCheckpointBytes(composition: CheckpointComposition, k: number): number {
  const perParam = composition.weightBytesPerParam + composition.optimizerBytesPerParam;
  // MoC Eq. 6: C_pec ≈ (P_ne + (K/N)·P_e)·(B_w + B_o).
  return (composition.nonExpertParams + (k / composition.experts) * composition.expertParams) * perParam;
}

/** Which of the experts' states PEC saves partially (MoC Table 3: W the weights, O the optimizer states, WO both). */
export interface PecStates {
  weights: boolean;
  optimizer: boolean;
}

/**
 * A checkpoint that saves K of the N experts' chosen states and the rest in full: MoC Eq. 6 applied to the experts'
 * weights, their optimizer states or both, as Table 3 compares them. With both it is C_pec.
 */
export function pecStatesBytes(composition: CheckpointComposition, k: number, states: PecStates): number {
  const left = 1 - k / composition.experts;
  // MoC Eq. 6 per state: C = C_full − (1 − K/N)·(P_e·B_w if the weights are partial + P_e·B_o if the optimizer is).
  return (
    composition.fullBytes -
    left *
      ((states.weights ? composition.expertWeightBytes : 0) +
        (states.optimizer ? composition.expertOptimizerBytes : 0))
  );
}

function sizeInputs(composition: CheckpointComposition) {
  return [
    input('P_ne', 'non-expert parameters', composition.nonExpertParams, 'params'),
    input('P_e', 'routed-expert parameters', composition.expertParams, 'params'),
    input(
      'B_w',
      'bytes per weight saved (BF16 whatever the compute precision)',
      composition.weightBytesPerParam,
      'B',
    ),
    input('B_o', 'optimizer bytes per parameter', composition.optimizerBytesPerParam, 'B'),
  ];
}

export function fullCheckpointBytesMetric(scenario: Scenario): Metric {
  const composition = checkpointComposition(scenario);
  return {
    id: 'checkpoint.fullBytes',
    label: 'Full checkpoint',
    value: composition.fullBytes,
    unit: 'B',
    formula: 'C_full = (P_ne + P_e) · (B_w + B_o)',
    inputs: sizeInputs(composition),
    source: `${MOC_SOURCE}, Eq. 5`,
    note: 'Other states (iteration, RNG) are under 1% (MoC Fig. 2) and left out.',
  };
}

export function pecCheckpointBytesMetric(scenario: Scenario): Metric {
  const composition = checkpointComposition(scenario);
  const k = expertsSavedPerCheckpoint(scenario, composition);
  return {
    id: 'checkpoint.pecBytes',
    label: scenario.checkpoint.pec ? 'PEC checkpoint' : 'Checkpoint (PEC off: all experts)',
    value: pecCheckpointBytes(composition, k),
    unit: 'B',
    formula: 'C_pec = (P_ne + (K / N) · P_e) · (B_w + B_o)',
    inputs: [
      ...sizeInputs(composition),
      input('K', 'experts saved per MoE layer', k, 'experts'),
      input('N', 'experts per MoE layer', composition.experts, 'experts'),
    ],
    source: `${MOC_SOURCE}, Eq. 6`,
    ...(scenario.checkpoint.twoLevel
      ? { note: 'With two-level saving K is K_snapshot: what goes to CPU memory each checkpoint.' }
      : {}),
  };
}

export type PopularityProfile = 'uniform' | 'zipf' | 'olmoe' | 'custom';
export type GatingKind =
  | 'softmax-topk'
  | 'softmax-topk-norm'
  | 'sigmoid-topk-norm'
  /** DeepSeek-V3: sigmoid affinities, groups scored by their two best (the link value predates the V2 variant). */
  | 'group-limited'
  /** DeepSeek-V2's device-limited routing: softmax affinities, groups scored by their best. */
  | 'softmax-group-limited'
  | 'expert-choice'
  | 'hash';
export type CapacityMode = 'off' | 'expert' | 'device';
export type DropPolicy = 'order' | 'reverse' | 'random' | 'score';

/** The routing settings of a scenario (its `routing` section). */
export interface RoutingSettings {
  profile: PopularityProfile;
  zipfExponent: number;
  /** Standard deviation of the per-token noise added to router logits. */
  noise: number;
  /** How alike adjacent layers' hot experts are (0 = independent, 1 = identical). */
  layerCorrelation: number;
  /** How far popularity wanders from one batch to the next (0 = fixed, 1 = redrawn every batch). */
  drift: number;
  /** Share of experts that vision tokens favour. */
  visionExpertFraction: number;
  /** Logit bonus vision tokens give to vision-heavy experts. */
  visionBias: number;
  gating: GatingKind;
  groups: number;
  topkGroups: number;
  capacity: CapacityMode;
  capacityFactor: number;
  dropPolicy: DropPolicy;
  expandedDrop: boolean;
  /** Tokens simulated on each source device per batch (a sample of the step's tokens). */
  tokensPerDevice: number;
  /** Which batch is shown: popularity drifts from batch 0 to this one. */
  batch: number;
  /** The MoE layer the flow and bars show (0-based among MoE layers). */
  layer: number;
}

/** One MoE layer's routing on one batch, summed over the simulated source devices. */
export interface LayerRouting {
  /** Token-expert pairs chosen by the router per expert, before any capacity limit. */
  preDropLoad: Int32Array;
  /** Pairs each expert computes after the capacity limit (including pairs Expanded Drop added). */
  keptLoad: Int32Array;
  /** Per source device × expert, before and after capacity: flows for the animation. */
  preDropFlow: Int32Array;
  keptFlow: Int32Array;
  /** The largest per-expert count any single source device sent, before and after capacity. */
  maxDeviceExpertLoadBefore: number;
  maxDeviceExpertLoadAfter: number;
  /** Σ_devices Σ_i max(0, N_i − C) on pre-drop counts (Capacity-Aware Eq. 11's numerator). */
  overflowPairs: number;
  routedPairs: number;
  keptPairs: number;
  droppedPairs: number;
  /** Pairs Expanded Drop added beyond each token's top-k. */
  addedPairs: number;
  /** Tokens left with no routed expert (the residual stream still carries them). */
  tokensWithNoExpert: number;
  tokens: number;
  /** Switch auxiliary loss N · Σ f_i · P_i. */
  auxLoss: number;
  /** ST-MoE router z-loss: mean over tokens of (log Σ_i e^{x_i})². */
  zLoss: number;
  /**
   * Gate weights (what a token's expert outputs are multiplied by when combined), summed over the router's top-k
   * pairs, over the pairs kept (Expanded Drop's included) and over the top-k pairs dropped.
   */
  routedGateWeight: number;
  keptGateWeight: number;
  droppedGateWeight: number;
  /** Per-device capacity C, or 0 when capacity is off. */
  capacity: number;
}

export interface RoutingStep {
  step: number;
  experts: number;
  topK: number;
  /** Source devices simulated (at most the scenario's DP degree). */
  devices: number;
  /** Source devices in the scenario. */
  devicesInScenario: number;
  tokensPerDevice: number;
  /** Experts local to each device (n / EP). */
  localExperts: number;
  layers: LayerRouting[];
  /**
   * What the OLMoE reference drops at γ = 1.0, 1.5 and 2.0 (dropCalibration.ts), when whoever routed the batch
   * worked it out: a Web Worker does, so the page reads the accuracy estimate without routing the reference itself.
   */
  dropReference?: readonly [number, number, number];
}

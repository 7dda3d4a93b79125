import { DEFAULT_MODEL_ID } from '../catalog/models';
import { DEFAULT_GPU_ID } from '../catalog/hardware';
import { LLAMA3_GPU_MTBF_HOURS } from '../catalog/failureRates';
import type { Scenario } from './types';

/**
 * The scenario a fresh page opens with: Mixtral 8×7B on one 8×H100 node, EP=8, a training step of
 * 512 sequences × 4096 tokens. Share links store only what differs from this.
 */
export function defaultScenario(): Scenario {
  return {
    model: { preset: DEFAULT_MODEL_ID, overrides: {} },
    hardware: {
      gpu: DEFAULT_GPU_ID,
      gpuOverrides: {},
      gpusPerNode: 8,
      intraLink: 'auto',
      interLink: 'ib-ndr',
      hostLinkGBps: 32,
      storageWriteGBps: 5,
      computeEfficiency: 0.4,
      networkEfficiency: 0.8,
    },
    parallelism: { ep: 8, dp: 8, tp: 1, zeroStage: 2 },
    workload: {
      mode: 'training',
      batchSize: 512,
      seqLen: 4096,
      visionFraction: 0,
      precision: 'bf16',
      seed: 1,
    },
    // Routing lab defaults: Zipf-skewed popularity, Mixtral-style normalised softmax top-k, and a Switch-style
    // capacity factor of 1.25 with score-based dropping (Capacity-Aware Inference's default policy).
    routing: {
      profile: 'zipf',
      zipfExponent: 0.5,
      noise: 1,
      layerCorrelation: 0.9,
      drift: 0.1,
      visionExpertFraction: 0.25,
      visionBias: 1.5,
      gating: 'softmax-topk-norm',
      groups: 1,
      topkGroups: 1,
      capacity: 'expert',
      capacityFactor: 1.25,
      dropPolicy: 'score',
      expandedDrop: false,
      tokensPerDevice: 1024,
      batch: 0,
      layer: 0,
    },
    // Checkpointing lab defaults: MoC-Async as the paper evaluates it (PEC, adaptive sharding, two-level asynchronous
    // saving with K_snapshot = 4 and K_persist = 1, MoC Table 3), dynamic K at PLT 3.75%. The optimizer bytes per
    // parameter are left to the model preset (model/optimizerBytes.ts), as the architecture is.
    checkpoint: {
      sharding: 'adaptive',
      pec: true,
      expertsPerCheckpoint: 4,
      expertsPersisted: 1,
      selection: 'sequential',
      twoLevel: true,
      asynchronous: true,
      intervalIterations: 100,
      // Failures given for the whole job, as MoC Eq. 11's λ is; per GPU, the default is Llama 3's rate, rounded to
      // the hour (catalog/failureRates.ts).
      failureScope: 'job',
      mtbfHours: 24,
      gpuMtbfHours: Math.round(LLAMA3_GPU_MTBF_HOURS),
      restartMinutes: 10,
      totalIterations: 20000,
      dynamicK: true,
      pltThreshold: 0.0375,
      viewIteration: 0,
    },
  };
}

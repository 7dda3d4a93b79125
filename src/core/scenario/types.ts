import type { ModelArchitecture } from '../catalog/modelTypes';
import type { GpuSpec, Precision } from '../catalog/hardwareTypes';
import type { CheckpointSettings } from '../checkpoint/types';
import type { RoutingSettings } from '../routing/types';

export type WorkloadMode = 'training' | 'prefill' | 'decode';

/** Everything a user can set. Labs add a section each as they land. */
export interface Scenario {
  model: {
    /** A model preset id; `overrides` holds every architecture field the user changed from that preset. */
    preset: string;
    overrides: Partial<ModelArchitecture>;
  };
  hardware: {
    gpu: string;
    gpuOverrides: Partial<GpuSpec>;
    gpusPerNode: number;
    /** A link preset id, or 'auto' for the link the GPU ships with. */
    intraLink: string;
    interLink: string;
    hostLinkGBps: number;
    storageWriteGBps: number;
    /** Achieved fraction of peak tensor throughput in expert GEMMs. */
    computeEfficiency: number;
    /** Achieved fraction of link bandwidth in all-to-all. */
    networkEfficiency: number;
  };
  parallelism: {
    /** Expert-parallel degree: experts are split across this many GPUs; an EP group lives inside the DP ranks. */
    ep: number;
    /** Data-parallel degree. */
    dp: number;
    /** Tensor-parallel degree. */
    tp: number;
    zeroStage: number;
  };
  workload: {
    mode: WorkloadMode;
    /** Sequences per step across all data-parallel ranks. */
    batchSize: number;
    /** Tokens per sequence (for decode: the context already in the KV cache). */
    seqLen: number;
    /** Fraction of tokens that are vision tokens. */
    visionFraction: number;
    precision: Precision;
    seed: number;
  };
  /** The Routing lab: router skew, gating and capacity. */
  routing: RoutingSettings;
  /** The Checkpointing lab: what a checkpoint holds, who saves it, and faults over a long run. */
  checkpoint: CheckpointSettings;
}

/** What the validator had to change, in words a user understands. */
export interface ValidationMessage {
  kind: 'clamped' | 'invalid' | 'unknown-key' | 'combination' | 'version';
  /** The field the message is about, when there is one. */
  key?: string;
  message: string;
}

export interface ValidatedScenario {
  scenario: Scenario;
  messages: ValidationMessage[];
}

export type Precision = 'bf16' | 'fp8' | 'fp4';
export const PRECISIONS: readonly Precision[] = ['bf16', 'fp8', 'fp4'];

/** Bytes per parameter of weights stored at a precision (FP4 formats add block scales; ignored here). */
export const BYTES_PER_PARAM: Record<Precision, number> = { bf16: 2, fp8: 1, fp4: 0.5 };

export interface GpuSpec {
  /** Peak dense (non-sparse) tensor throughput, TFLOP/s; 0 where the chip has no such tensor cores. */
  bf16Tflops: number;
  fp8Tflops: number;
  fp4Tflops: number;
  /** HBM/GDDR bandwidth, GB/s (10^9 bytes per second). */
  memBandwidthGBps: number;
  /** Device memory, GB (10^9 bytes). */
  memGB: number;
}

export interface GpuPreset {
  id: string;
  name: string;
  spec: GpuSpec;
  /** The intra-node link this GPU ships with in its usual server. */
  defaultIntraLink: string;
  source: string;
}

export interface LinkPreset {
  id: string;
  name: string;
  /** Per-GPU bandwidth in one direction, GB/s. */
  bandwidthGBps: number;
  scope: 'intra-node' | 'inter-node';
  source: string;
}

export type ShardingStrategy = 'baseline' | 'equal' | 'adaptive';
export type ExpertSelection = 'sequential' | 'load-aware';
/** What the failure rate is given for: the whole job (one MTBF at any size) or each GPU (a bigger job fails more often). */
export type FailureScope = 'job' | 'gpu';

/** The Checkpointing lab's settings (the scenario's `checkpoint` section). MoC-System (Cai et al., ASPLOS '25). */
export interface CheckpointSettings {
  /**
   * Bytes of optimizer state per parameter, where the user set it. Absent: the model preset's (DeepSeek-V3: 8, its
   * report §3.3.3; otherwise mixed-precision Adam's FP32 master + m + v = 12, papers.md §1.4); see optimizerBytes.ts.
   */
  optimizerBytesPerParam?: number;
  /** Who saves what under ZeRO-2 DP + EP (MoC §4): baseline (rank 0 + EP group 0), equal or adaptive sharding. */
  sharding: ShardingStrategy;
  /** Partial Experts Checkpointing: save K of the N experts per MoE layer per checkpoint (MoC §3). Off = all N. */
  pec: boolean;
  /** K_pec (with two-level saving: K_snapshot), experts per MoE layer per checkpoint. */
  expertsPerCheckpoint: number;
  /** K_persist ⊆ K_snapshot: experts written on to storage (two-level saving, MoC §5). */
  expertsPersisted: number;
  selection: ExpertSelection;
  /** Two-level saving: snapshot GPU→CPU, then persist CPU→storage (MoC §5). Off = write straight to storage. */
  twoLevel: boolean;
  /** Asynchronous saving: the snapshot overlaps the next forward and backward pass (MoC Eq. 10). */
  asynchronous: boolean;
  /** I_ckpt: iterations between checkpoints. */
  intervalIterations: number;
  /** Whether the failure rate is given for the whole job (mtbfHours) or per GPU (gpuMtbfHours); see jobMtbf.ts. */
  failureScope: FailureScope;
  /** Mean time between failures of the whole job, hours (faults are exponential, seeded); read when failureScope is 'job'. */
  mtbfHours: number;
  /** Mean time between failures of one GPU, hours; read when failureScope is 'gpu': the job's is this / GPUs. */
  gpuMtbfHours: number;
  /** Time to restart after a fault, minutes (O_restart). */
  restartMinutes: number;
  /** Length of the simulated run, iterations (I_total). */
  totalIterations: number;
  /** Double K after a recovery when the accumulated PLT passes the threshold (MoC §5.3). */
  dynamicK: boolean;
  /** PLT threshold below which accuracy matches the no-fault run (MoC §3.3: 3.75%). */
  pltThreshold: number;
  /** Which iteration the timeline and staleness grid show. */
  viewIteration: number;
}

/**
 * What checkpointing costs in time, for a given K (experts saved per MoE layer per checkpoint). The static model
 * (sizes, per-rank workload, two-level saving) produces it; the fault simulation consumes it, and dynamic K asks
 * for it again when K doubles. All times in seconds.
 */
export interface CheckpointCosts {
  /** T_F&B: one training iteration (forward + backward + update) without checkpointing. */
  iterationSeconds: number;
  /** T_snapshot: the bottleneck rank's GPU→CPU copy (with two-level saving), or its write to storage (without). */
  snapshotSeconds: number;
  /** T_persist: the bottleneck node's CPU→storage write of the persisted part (two-level saving), else 0. */
  persistSeconds: number;
  /** O_save: what one checkpoint adds to its iteration: max(0, T_snapshot − T_F&B) asynchronous (MoC Eq. 10), T_snapshot blocking. */
  saveStallSeconds: number;
  /** O_restart: detect, restart and load after a fault. */
  restartSeconds: number;
  /** Bytes one checkpoint writes in total (for the panel), and the bottleneck rank's share. */
  checkpointBytes: number;
  bottleneckRankBytes: number;
}

/** Costs at K (K_snapshot with two-level saving) and K_persist (default: the scenario's, capped at K). */
export type CostsForK = (expertsPerCheckpoint: number, expertsPersisted?: number) => CheckpointCosts;

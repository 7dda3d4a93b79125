/** The architecture fields of an MoE transformer that the simulator needs. Sizes are counts, not bytes. */
export interface ModelArchitecture {
  /** Transformer blocks (decoder layers; encoder + decoder for encoder-decoder models). */
  layers: number;
  /** Residual stream width d_model. */
  hiddenSize: number;
  /** Query heads. */
  attentionHeads: number;
  /** Key/value heads (grouped-query attention); equal to attentionHeads for multi-head attention. */
  kvHeads: number;
  /** Per-head dimension of queries, keys and values. */
  headDim: number;
  /** Multi-head latent attention (DeepSeek-V2/V3): rank of the compressed KV; 0 means standard attention. */
  kvLoraRank: number;
  /** MLA: rank of the compressed query; 0 means queries are projected directly. */
  qLoraRank: number;
  /** MLA: per-head dimension of the decoupled rotary key/query part. */
  ropeHeadDim: number;
  /** Routed experts per MoE layer. */
  experts: number;
  /** Routed experts each token uses (top-k). */
  topK: number;
  /** Shared experts every token uses, each of expertFfnSize. */
  sharedExperts: number;
  /** Intermediate (FFN) width of one routed expert. */
  expertFfnSize: number;
  /** Intermediate width of the FFN in dense (non-MoE) layers. */
  denseFfnSize: number;
  /** An MoE layer every this many layers after the dense leading layers (1 = every layer, 2 = every second). */
  moeEvery: number;
  /** Leading layers that stay dense (DeepSeek's first_k_dense_replace). */
  denseLeadingLayers: number;
  /** Gated FFN (SwiGLU/GeGLU: three weight matrices) or plain (ReLU/GeLU: two). */
  gatedFfn: boolean;
  /** Vocabulary size. */
  vocabSize: number;
  /** Input embedding and output head share one matrix. */
  tiedEmbeddings: boolean;
  /** Context length used for attention FLOPs when the workload does not set one. */
  maxContext: number;
}

export interface PublishedSize {
  /** Short name of the publication, e.g. "MoE survey". */
  paper: string;
  totalParams: number;
  /** Absent where the source prints only a total. */
  activeParams?: number;
  /** The active count as the source prints it, where our formatting would read differently ("0.2B", not "200M"). */
  activeParamsPrinted?: string;
  /** Why the derived count may differ from the published one, where we know. */
  totalGapExplanation?: string;
  activeGapExplanation?: string;
  /** Where these totals are published. */
  source: string;
}

export interface ModelPreset {
  id: string;
  name: string;
  architecture: ModelArchitecture;
  /** Where the architecture numbers come from (config file, paper table). */
  source: string;
  /** Totals as the model's authors (or the survey) publish them; the checks compare our derived counts against these. */
  published?: PublishedSize;
  /** Caveats: which fields are inferred and why. */
  notes?: string;
  /**
   * Bytes of optimizer state per parameter the model was trained with (B_o, MoC Eq. 5), where its source says so:
   * the Checkpointing lab's default for it. Absent: mixed-precision Adam's 12 (model/optimizerBytes.ts).
   */
  optimizerBytesPerParam?: { bytes: number; source: string };
}

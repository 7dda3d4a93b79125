import type { ModelArchitecture } from '../catalog/modelTypes';

/** How many of the model's layers are MoE layers: after the dense leading layers, every `moeEvery`-th layer. */
export function moeLayerCount(arch: ModelArchitecture): number {
  const eligible = Math.max(0, arch.layers - arch.denseLeadingLayers);
  // GShard/Switch place the MoE in the second of each pair of blocks ("Block-MLP then Block-MoE", ScMoE §3.1),
  // so with moeEvery = m the count is floor(eligible / m).
  return Math.floor(eligible / Math.max(1, arch.moeEvery));
}

export function denseLayerCount(arch: ModelArchitecture): number {
  return arch.layers - moeLayerCount(arch);
}

/** Weights of one FFN of the given intermediate width: 3·d·f when gated (SwiGLU: W1, W3, W2), else 2·d·f. */
export function ffnParams(arch: ModelArchitecture, ffnSize: number): number {
  return (arch.gatedFfn ? 3 : 2) * arch.hiddenSize * ffnSize;
}

/** Parameters of one routed expert (an FFN of expertFfnSize). */
export function paramsPerExpert(arch: ModelArchitecture): number {
  return ffnParams(arch, arch.expertFfnSize);
}

/**
 * Attention weights of one layer (biases and norms are below 0.1% and ignored).
 * Standard/grouped-query: Q and O are d·H·h_d each, K and V are d·H_kv·h_d each.
 * Multi-head latent attention (DeepSeek-V2 §2.1, Eq. 9-14): W^DQ (d·r_q), W^UQ (r_q·H·(h_d+h_r)),
 * W^DKV and W^KR (d·(r_kv+h_r)), W^UK and W^UV (r_kv·H·2h_d), W^O (H·h_d·d).
 */
export function attentionParamsPerLayer(arch: ModelArchitecture): number {
  const d = arch.hiddenSize;
  const heads = arch.attentionHeads;
  const headDim = arch.headDim;
  if (arch.kvLoraRank > 0) {
    const queryHeadDim = headDim + arch.ropeHeadDim;
    const query =
      arch.qLoraRank > 0
        ? d * arch.qLoraRank + arch.qLoraRank * heads * queryHeadDim
        : d * heads * queryHeadDim;
    const keyValueDown = d * (arch.kvLoraRank + arch.ropeHeadDim);
    const keyValueUp = arch.kvLoraRank * heads * 2 * headDim;
    const output = heads * headDim * d;
    return query + keyValueDown + keyValueUp + output;
  }
  return 2 * d * heads * headDim + 2 * d * arch.kvHeads * headDim;
}

/** Router (gate) weights of one MoE layer: d × E. */
export function routerParamsPerLayer(arch: ModelArchitecture): number {
  return arch.hiddenSize * arch.experts;
}

export function embeddingParams(arch: ModelArchitecture): number {
  return (arch.tiedEmbeddings ? 1 : 2) * arch.vocabSize * arch.hiddenSize;
}

/** Where the parameters live, for the breakdown chart. */
export interface ParameterBreakdown {
  attention: number;
  denseFfn: number;
  sharedExperts: number;
  routers: number;
  embeddings: number;
  routedExperts: number;
}

export interface ParameterCounts {
  /** All routed-expert weights: MoE layers × E × per-expert. */
  routedExpert: number;
  /** Everything else: attention, dense FFNs, shared experts, routers, embeddings. */
  nonExpert: number;
  total: number;
  /** Weights one token touches: non-expert + top-k routed experts per MoE layer. */
  active: number;
  /** Active weights excluding embeddings, the N of the 2N FLOPs-per-token rule. */
  activeNonEmbedding: number;
  perExpert: number;
  moeLayers: number;
  breakdown: ParameterBreakdown;
}

/**
 * Parameter counts derived from the architecture (not typed in), so that a custom model gets them too and the
 * presets can be checked against their published totals.
 */
export function countParameters(arch: ModelArchitecture): ParameterCounts {
  const moeLayers = moeLayerCount(arch);
  const denseLayers = arch.layers - moeLayers;
  const perExpert = paramsPerExpert(arch);
  const attention = arch.layers * attentionParamsPerLayer(arch);
  const denseFfn = denseLayers * ffnParams(arch, arch.denseFfnSize);
  const shared = moeLayers * arch.sharedExperts * perExpert;
  const routers = moeLayers * routerParamsPerLayer(arch);
  const embeddings = embeddingParams(arch);
  const routedExpert = moeLayers * arch.experts * perExpert;
  const nonExpert = attention + denseFfn + shared + routers + embeddings;
  const activeRouted = moeLayers * Math.min(arch.topK, arch.experts) * perExpert;
  return {
    routedExpert,
    nonExpert,
    total: nonExpert + routedExpert,
    active: nonExpert + activeRouted,
    activeNonEmbedding: nonExpert - embeddings + activeRouted,
    perExpert,
    moeLayers,
    breakdown: {
      attention,
      denseFfn,
      sharedExperts: shared,
      routers,
      embeddings,
      routedExperts: routedExpert,
    },
  };
}

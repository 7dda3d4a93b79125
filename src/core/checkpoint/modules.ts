import type { ModelArchitecture } from '../catalog/modelTypes';
import {
  attentionParamsPerLayer,
  embeddingParams,
  ffnParams,
  paramsPerExpert,
  routerParamsPerLayer,
} from '../model/params';

/** Whether layer `index` (0-based) is an MoE layer: after the dense leading layers, every `moeEvery`-th one. */
export function isMoeLayer(arch: ModelArchitecture, index: number): boolean {
  const position = index - arch.denseLeadingLayers;
  const every = Math.max(1, arch.moeEvery);
  // Same placement as moeLayerCount (model/params.ts): the MoE is the last block of each group of `moeEvery`.
  return position >= 0 && (position + 1) % every === 0;
}

/**
 * The non-expert part cut into the units equal and adaptive sharding hand out (MoC §4.2: coarse-grained, a layer's
 * Attention or FFN is the smallest unit), in parameters, sorted largest first (the order greedy assignment wants).
 * Units: the embedding (and the output head when untied); per layer its attention; per dense layer its FFN; per MoE
 * layer its router and each shared expert. They add up to countParameters(arch).nonExpert.
 */
export function nonExpertModules(arch: ModelArchitecture): Float64Array {
  const units: number[] = [];
  const embedding = embeddingParams(arch) / (arch.tiedEmbeddings ? 1 : 2);
  units.push(embedding);
  if (!arch.tiedEmbeddings) units.push(embedding);
  const attention = attentionParamsPerLayer(arch);
  const denseFfn = ffnParams(arch, arch.denseFfnSize);
  const router = routerParamsPerLayer(arch);
  const shared = paramsPerExpert(arch);
  for (let layer = 0; layer < arch.layers; layer += 1) {
    units.push(attention);
    if (isMoeLayer(arch, layer)) {
      units.push(router);
      for (let s = 0; s < arch.sharedExperts; s += 1) units.push(shared);
    } else {
      units.push(denseFfn);
    }
  }
  return Float64Array.from(units).sort().reverse();
}

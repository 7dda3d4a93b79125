import olmoeProfile from '../catalog/data/olmoe-layer-peak-load.json';

/**
 * The OLMoE-1B-7B per-expert peak loads read off Capacity-Aware Inference Fig. 1 (He et al., arXiv 2503.05066);
 * peaks over batches, so they are renormalised before use as a popularity profile.
 */
export const OLMOE_PEAK_LOAD: readonly number[] = olmoeProfile.normalisedPeakLoad;

/** How many experts the OLMoE profile was measured on (one OLMoE-1B-7B MoE layer). */
export const OLMOE_PROFILE_EXPERTS = OLMOE_PEAK_LOAD.length;

/**
 * A measured load profile of n_src experts mapped onto `count` experts along its Lorenz curve, busiest first, in the
 * profile's own units (the result sums to what `values` sums to).
 *
 * Sort the measured loads busiest first and let L(x) be the load held by the busiest x source experts (x may be
 * fractional: L is linear within an expert). Target expert i of n then takes L((i+1)·n_src/n) − L(i·n_src/n), the load
 * of the (i/n … (i+1)/n) fraction of source experts. So:
 * - n = n_src is the measured profile itself, value for value;
 * - n divides n_src: each target is the summed load of n_src/n source experts, busiest with busiest, which is what a
 *   coarser expert granularity would see if the hot fine-grained experts were fused together. The busiest target's
 *   share is that of the busiest n_src/n sources, so its load over the mean, n·p_max, is the mean over them of
 *   n_src·p: the imbalance dilutes as experts coarsen, as Capacity-Aware §5 finds for per-GPU sums of many experts
 *   (and its App. D finds Mixtral's 8 experts below 3× the mean: this gives 2.8×, not the 4.2× sampling gave);
 * - n_src divides n: each source expert is split evenly over n/n_src targets (fine-grained segmentation), so n·p_max
 *   stays the measured peak over mean;
 * - any other n (Qwen1.5's 60) reads the same curve between those cases.
 * The top x fraction of experts always holds the share the measured top x fraction holds (at x = i/n), so the shape
 * of the inequality (its Lorenz curve and Gini coefficient) is the measured one at every expert count. Merging
 * busiest with busiest is the most skewed grouping: fusing experts that were not ranked together would dilute it more.
 * The map replaces reading n point values off the sorted curve, which kept the 7.22 outlier as one of only 8 values,
 * a share no top-2 router of 8 experts can carry (k·p > 1), so the router saturated at the n/k ceiling.
 */
export function lorenzResample(values: readonly number[], count: number): number[] {
  const sorted = [...values].sort((a, b) => b - a);
  const sourceCount = sorted.length;
  // On an axis of sourceCount·count units, source j spans [j·count, (j+1)·count) and target i spans
  // [i·sourceCount, (i+1)·sourceCount); integer overlaps keep the whole-expert cases exact (overlap/count = 1).
  return Array.from({ length: count }, (_, target) => {
    const start = target * sourceCount;
    const end = start + sourceCount;
    let load = 0;
    for (let source = Math.floor(start / count); source < sourceCount && source * count < end; source += 1) {
      const overlap = Math.min(end, (source + 1) * count) - Math.max(start, source * count);
      if (overlap > 0) load += (sorted[source] ?? 0) * (overlap / count);
    }
    return load;
  });
}

/** How the measured OLMoE profile is put onto a model with a different expert count. */
export interface MeasuredProfileMapping {
  /** Experts the profile was measured on (64). */
  sourceExperts: number;
  /** Routed experts of the scenario's model. */
  experts: number;
  /** n_src / n: source experts' worth of load per target expert (8 for 8 experts, 0.5 for 128). */
  sourcePerExpert: number;
  /** The busiest target expert's load over the mean, n·p_max, as the mapped profile sets it. */
  peakOverMean: number;
  /** The measured busiest expert's load over the mean, n_src·p_max (≈ 5.63 once the peaks are renormalised). */
  sourcePeakOverMean: number;
}

/** The mapping of the OLMoE profile onto `experts` experts, or null when the model has OLMoE's 64 (no mapping). */
export function olmoeProfileMapping(experts: number): MeasuredProfileMapping | null {
  if (experts === OLMOE_PROFILE_EXPERTS || experts < 1) return null;
  const mapped = lorenzResample(OLMOE_PEAK_LOAD, experts);
  const total = OLMOE_PEAK_LOAD.reduce((sum, value) => sum + value, 0);
  const sourcePeak = Math.max(...OLMOE_PEAK_LOAD);
  return {
    sourceExperts: OLMOE_PROFILE_EXPERTS,
    experts,
    sourcePerExpert: OLMOE_PROFILE_EXPERTS / experts,
    // n·p_max with p = load / Σ load: the busiest expert's expected load over the mean t·k/n (Capacity-Aware Eq. 3).
    peakOverMean: ((mapped[0] ?? 0) / total) * experts,
    sourcePeakOverMean: (sourcePeak / total) * OLMOE_PROFILE_EXPERTS,
  };
}

/** One or two sentences saying how the OLMoE profile was put onto `mapping.experts` experts, for notes and metrics. */
export function describeProfileMapping(mapping: MeasuredProfileMapping): string {
  const { sourceExperts, experts, sourcePerExpert, peakOverMean, sourcePeakOverMean } = mapping;
  const peaks = `the busiest expert is set to ${peakOverMean.toFixed(2)}× the mean load (OLMoE’s own: ${sourcePeakOverMean.toFixed(2)}×)`;
  const how =
    sourceExperts % experts === 0
      ? `each expert here takes the combined load of ${sourceExperts / experts} of OLMoE’s, busiest with busiest`
      : experts % sourceExperts === 0
        ? `each of OLMoE’s experts is split evenly over ${experts / sourceExperts} experts here`
        : `each expert here takes ${sourcePerExpert.toFixed(2)} of OLMoE’s experts’ worth of load, busiest with busiest`;
  return (
    `The OLMoE profile was measured on ${sourceExperts} experts and is mapped onto ${experts} along its ` +
    `cumulative-share curve: ${how}, so the top x% of experts carry the share OLMoE’s top x% carry, and ${peaks}.`
  );
}

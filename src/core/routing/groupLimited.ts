import { selectTopK } from './gateDraw';
import type { GroupScoreRule } from './gatingKinds';

/** Where group-limited routing keeps its per-token working values; sized for the experts, reused across tokens. */
export interface GroupScratch {
  /** Per group: its highest and second-highest affinity, and how many of its experts are candidates. */
  groupBest: Float64Array;
  groupSecond: Float64Array;
  groupCandidates: Int32Array;
}

export interface GroupLayout {
  groupSize: number;
  groupCount: number;
  topkGroups: number;
  /** How a group is scored (see gatingKinds.ts): the sum of its two best gates (V3) or its best (V2). */
  scoreRule: GroupScoreRule;
}

/** Scans one group's experts for its two highest gates (starting from 0: gates are positive). */
function scanGroupTopTwo(gates: Float64Array, group: number, groupSize: number, scratch: GroupScratch): void {
  let best = 0;
  let second = 0;
  for (let expert = group * groupSize; expert < (group + 1) * groupSize; expert += 1) {
    const affinity = gates[expert]!;
    if (affinity > best) {
      second = best;
      best = affinity;
    } else if (affinity > second) second = affinity;
  }
  scratch.groupBest[group] = best;
  scratch.groupSecond[group] = second;
}

/**
 * Group-limited routing (n_group / topk_group): each group gets a score, the topk_group best groups are kept, and the
 * token takes the top-k experts inside them. DeepSeek-V3 node-limited routing scores a group by the sum of its two
 * highest affinities (V3 report §2.1.2); DeepSeek-V2 device-limited routing by its highest (V2 report §2.1.3).
 * Returns the allowed groups as a bit mask (-1: every group).
 *
 * Exact with the prefilter's candidates (the experts whose gate passed it, in expert order): every other expert is at
 * or below the prefilter, so a group with as many candidates as its score uses (two, or one) has them among the
 * candidates; only the other groups are scanned in full.
 */
function allowedGroupsOf(
  layout: GroupLayout,
  gates: Float64Array,
  candidates: Int32Array,
  candidateCount: number,
  scratch: GroupScratch,
): number {
  const { groupSize, groupCount, topkGroups } = layout;
  if (topkGroups >= groupCount) return -1;
  const bestOnly = layout.scoreRule === 'best';
  const candidatesNeeded = bestOnly ? 1 : 2;
  const { groupBest, groupSecond, groupCandidates } = scratch;
  groupBest.fill(0, 0, groupCount);
  groupSecond.fill(0, 0, groupCount);
  groupCandidates.fill(0, 0, groupCount);
  for (let index = 0; index < candidateCount; index += 1) {
    const expert = candidates[index]!;
    const group = Math.floor(expert / groupSize);
    if (group >= groupCount) continue;
    const affinity = gates[expert]!;
    groupCandidates[group]! += 1;
    if (affinity > groupBest[group]!) {
      groupSecond[group] = groupBest[group]!;
      groupBest[group] = affinity;
    } else if (affinity > groupSecond[group]!) groupSecond[group] = affinity;
  }
  for (let group = 0; group < groupCount; group += 1)
    if (groupCandidates[group]! < candidatesNeeded) scanGroupTopTwo(gates, group, groupSize, scratch);
  // V2 scores a group by its best gate alone, so the second best is left out of the score below.
  if (bestOnly) groupSecond.fill(0, 0, groupCount);
  let allowed = 0;
  for (let pick = 0; pick < topkGroups; pick += 1) {
    let bestGroup = -1;
    for (let group = 0; group < groupCount; group += 1) {
      if (allowed & (1 << group)) continue;
      const score = groupBest[group]! + groupSecond[group]!;
      if (bestGroup < 0 || score > groupBest[bestGroup]! + groupSecond[bestGroup]!) bestGroup = group;
    }
    allowed |= 1 << bestGroup;
  }
  return allowed;
}

/**
 * Group-limited top-k into `chosen`, largest gate first; returns how many were chosen. The candidates decide alone
 * when at least k of them are in allowed groups (every other allowed expert is below all of them); otherwise every
 * expert is scanned.
 */
export function selectGroupLimited(
  layout: GroupLayout,
  experts: number,
  topK: number,
  gates: Float64Array,
  candidates: Int32Array,
  candidateCount: number,
  chosen: Int32Array,
  scratch: GroupScratch,
): number {
  const allowed = allowedGroupsOf(layout, gates, candidates, candidateCount, scratch);
  let allowedCandidates = 0;
  for (let index = 0; index < candidateCount; index += 1) {
    const expert = candidates[index]!;
    if (allowed === -1 || allowed & (1 << Math.floor(expert / layout.groupSize))) allowedCandidates += 1;
  }
  // Fewer than k allowed candidates: a count of 0 makes selectTopK scan every expert.
  const count = allowedCandidates >= topK ? candidateCount : 0;
  return selectTopK(count, experts, topK, gates, candidates, chosen, layout.groupSize, allowed);
}

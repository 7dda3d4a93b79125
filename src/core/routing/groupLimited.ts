import { selectTopK } from './gateDraw';
import type { GroupScoreRule } from './gatingKinds';

/** Where group-limited routing keeps its per-token working values; sized for the experts, reused across tokens. */
export interface GroupScratch {
  /** Per group: its highest and second-highest affinity, and how many of its experts are candidates. */
  groupBest: Float64Array;
  groupSecond: Float64Array;
  groupCandidates: Int32Array;
  /** The chosen experts' gates, largest first (see selectTopK). */
  chosenGates: Float64Array;
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
  return pickGroups(layout, scratch);
}

/**
 * Picks the topkGroups best groups by their scores in groupBest + groupSecond (ties: lower group first); as a mask.
 * A group is kept when fewer than topkGroups groups come before it in that order: the same groups as picking the best
 * one topkGroups times, with no branch on the scores.
 */
function pickGroups(layout: GroupLayout, scratch: GroupScratch): number {
  const { groupCount, topkGroups } = layout;
  const { groupBest, groupSecond } = scratch;
  let allowed = 0;
  for (let group = 0; group < groupCount; group += 1) {
    const score = groupBest[group]! + groupSecond[group]!;
    let ahead = 0;
    for (let other = 0; other < groupCount; other += 1) {
      const otherScore = groupBest[other]! + groupSecond[other]!;
      ahead += +(otherScore > score) | (+(otherScore === score) & +(other < group));
    }
    allowed |= +(ahead < topkGroups) << group;
  }
  return allowed;
}

/**
 * Inserts one expert into the top-k kept in `chosen` / `chosenGates` (largest first; an equal gate goes after, so
 * experts visited in expert order break ties to the lower expert). Returns the new count chosen.
 */
function insertChosen(
  expert: number,
  value: number,
  selected: number,
  topK: number,
  chosen: Int32Array,
  chosenGates: Float64Array,
): number {
  let position = selected < topK ? selected : topK - 1;
  while (position > 0 && chosenGates[position - 1]! < value) {
    chosen[position] = chosen[position - 1]!;
    chosenGates[position] = chosenGates[position - 1]!;
    position -= 1;
  }
  chosen[position] = expert;
  chosenGates[position] = value;
  return selected < topK ? selected + 1 : selected;
}

/**
 * The common layout (groups tile the experts, at most 32, some left out): the candidates are split by group in one
 * pass (they come in expert order), so scoring the groups and choosing inside the kept ones touch only the kept
 * groups' candidates, with no division per candidate. Same choices as selectTopK with the group mask, which visits
 * the same experts in the same order.
 */
function selectInGroupRanges(
  layout: GroupLayout,
  topK: number,
  gates: Float64Array,
  candidates: Int32Array,
  candidateCount: number,
  chosen: Int32Array,
  scratch: GroupScratch,
): number {
  const { groupSize, groupCount } = layout;
  const candidatesNeeded = layout.scoreRule === 'best' ? 1 : 2;
  const { groupBest, groupSecond, groupCandidates: groupEnd, chosenGates } = scratch;
  // groupEnd[g]: one past group g's last candidate; its first is at groupEnd[g - 1] (0 for g = 0).
  let index = 0;
  for (let group = 0; group < groupCount; group += 1) {
    const start = index;
    const limit = (group + 1) * groupSize;
    let best = 0;
    let second = 0;
    for (; index < candidateCount; index += 1) {
      const expert = candidates[index]!;
      if (expert >= limit) break;
      const affinity = gates[expert]!;
      if (affinity > best) {
        second = best;
        best = affinity;
      } else if (affinity > second) second = affinity;
    }
    groupEnd[group] = index;
    if (index - start >= candidatesNeeded) {
      groupBest[group] = best;
      groupSecond[group] = second;
    } else scanGroupTopTwo(gates, group, groupSize, scratch);
  }
  // V2 scores a group by its best gate alone, so the second best is left out of the score.
  if (candidatesNeeded === 1) groupSecond.fill(0, 0, groupCount);
  const allowed = pickGroups(layout, scratch);
  let allowedCandidates = 0;
  for (let group = 0; group < groupCount; group += 1)
    if (allowed & (1 << group))
      allowedCandidates += groupEnd[group]! - (group > 0 ? groupEnd[group - 1]! : 0);
  let selected = 0;
  let threshold = Number.NEGATIVE_INFINITY;
  const last = topK - 1;
  for (let group = 0; group < groupCount; group += 1) {
    if (!(allowed & (1 << group))) continue;
    if (allowedCandidates >= topK) {
      // Every other expert of the kept groups is below the prefilter, so below all of these.
      const end = groupEnd[group]!;
      for (let at = group > 0 ? groupEnd[group - 1]! : 0; at < end; at += 1) {
        const expert = candidates[at]!;
        const value = gates[expert]!;
        if (value <= threshold) continue;
        selected = insertChosen(expert, value, selected, topK, chosen, chosenGates);
        if (selected === topK) threshold = chosenGates[last]!;
      }
    } else {
      // Fewer than k candidates in the kept groups: scan their every expert.
      for (let expert = group * groupSize; expert < (group + 1) * groupSize; expert += 1) {
        const value = gates[expert]!;
        if (value <= threshold) continue;
        selected = insertChosen(expert, value, selected, topK, chosen, chosenGates);
        if (selected === topK) threshold = chosenGates[last]!;
      }
    }
  }
  return selected;
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
  const { groupSize, groupCount, topkGroups } = layout;
  if (topK > 0 && topkGroups < groupCount && groupCount <= 32 && groupCount * groupSize === experts)
    return selectInGroupRanges(layout, topK, gates, candidates, candidateCount, chosen, scratch);
  const allowed = allowedGroupsOf(layout, gates, candidates, candidateCount, scratch);
  let allowedCandidates = 0;
  for (let index = 0; index < candidateCount; index += 1) {
    const expert = candidates[index]!;
    if (allowed === -1 || allowed & (1 << Math.floor(expert / groupSize))) allowedCandidates += 1;
  }
  // Fewer than k allowed candidates: a count of 0 makes selectTopK scan every expert.
  const count = allowedCandidates >= topK ? candidateCount : 0;
  return selectTopK(count, experts, topK, gates, candidates, chosen, scratch.chosenGates, groupSize, allowed);
}

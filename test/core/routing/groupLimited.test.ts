import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GroupScoreRule } from '../../../src/core/routing/gatingKinds';
import { selectGroupLimited } from '../../../src/core/routing/groupLimited';

/**
 * The definition, written plainly: groups by the sum of their two highest gates (DeepSeek-V3) or by their highest
 * (DeepSeek-V2), then top-k inside the kept groups.
 */
function reference(
  gates: number[],
  groups: number,
  topkGroups: number,
  topK: number,
  scoreRule: GroupScoreRule,
): number[] {
  const groupSize = gates.length / groups;
  const scoreOf = (group: number) => {
    const [first = 0, second = 0] = gates
      .slice(group * groupSize, (group + 1) * groupSize)
      .sort((a, b) => b - a);
    return scoreRule === 'best' ? first : first + second;
  };
  const order = Array.from({ length: groups }, (_, group) => group).sort(
    (a, b) => scoreOf(b) - scoreOf(a) || a - b,
  );
  const kept = new Set(topkGroups >= groups ? order : order.slice(0, topkGroups));
  return gates
    .map((gate, expert) => ({ gate, expert }))
    .filter(({ expert }) => kept.has(Math.floor(expert / groupSize)))
    .sort((a, b) => b.gate - a.gate || a.expert - b.expert)
    .slice(0, topK)
    .map(({ expert }) => expert);
}

const caseArbitrary = fc
  .record({ groups: fc.constantFrom(1, 2, 4, 8), groupSize: fc.integer({ min: 1, max: 16 }) })
  .chain(({ groups, groupSize }) =>
    fc.record({
      groups: fc.constant(groups),
      topkGroups: fc.integer({ min: 1, max: groups }),
      topK: fc.integer({ min: 1, max: groups * groupSize }),
      // Distinct gates (a permutation of levels), so the top-k is unique whatever the tie-breaking.
      gates: fc
        .shuffledSubarray(
          Array.from(
            { length: groups * groupSize * 4 },
            (_, level) => (level + 1) / (groups * groupSize * 4),
          ),
          { minLength: groups * groupSize, maxLength: groups * groupSize },
        )
        .chain((levels) =>
          fc.shuffledSubarray(levels, { minLength: levels.length, maxLength: levels.length }),
        ),
      prefilter: fc.double({ min: 0, max: 1, noNaN: true }),
      scoreRule: fc.constantFrom<GroupScoreRule>('top-two-sum', 'best'),
    }),
  );

describe('group-limited selection (DeepSeek-V3 and V2 n_group / topk_group)', () => {
  it('equals the plain definition whatever the prefilter lets through', () => {
    fc.assert(
      fc.property(caseArbitrary, ({ groups, topkGroups, topK, gates, prefilter, scoreRule }) => {
        const experts = gates.length;
        const gateArray = Float64Array.from(gates);
        // Candidates as the gate draw collects them: the experts above the prefilter, in expert order.
        const candidates = new Int32Array(experts + 1);
        let candidateCount = 0;
        for (let expert = 0; expert < experts; expert += 1)
          if (gates[expert]! > prefilter) candidates[candidateCount++] = expert;
        const chosen = new Int32Array(experts);
        const selected = selectGroupLimited(
          { groupSize: experts / groups, groupCount: groups, topkGroups, scoreRule },
          experts,
          topK,
          gateArray,
          candidates,
          candidateCount,
          chosen,
          {
            groupBest: new Float64Array(experts),
            groupSecond: new Float64Array(experts),
            groupCandidates: new Int32Array(experts),
            chosenGates: new Float64Array(experts),
          },
        );
        expect(Array.from(chosen.subarray(0, selected))).toEqual(
          reference(gates, groups, topkGroups, topK, scoreRule),
        );
      }),
      { numRuns: 2000 },
    );
  });
});

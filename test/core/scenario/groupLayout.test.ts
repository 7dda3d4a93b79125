import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../../../src/core/scenario/defaults';
import { groupLayoutFor } from '../../../src/core/scenario/groupLayout';
import { applyEdit } from '../../../src/core/scenario/requestedValues';
import { decodeFragment } from '../../../src/core/scenario/shareLink';
import { applyEntries } from '../../../src/core/scenario/validate';

function modelScenario(model: string, more: [string, unknown][] = []) {
  return applyEntries(defaultScenario(), [['model', model], ...more]).scenario;
}

describe('choosing a group-limited gating on one expert group', () => {
  it('takes DeepSeek-V3’s own n_group 8 and topk_group 4, and says so under the gating', () => {
    const result = applyEdit(modelScenario('deepseek-v3'), {}, [['routing.gating', 'group-limited']]);
    const { gating, groups, topkGroups } = result.scenario.routing;
    expect([gating, groups, topkGroups]).toEqual(['group-limited', 8, 4]);
    expect(result.messages).toEqual([
      {
        kind: 'combination',
        key: 'routing.groups',
        message:
          'One expert group limits nothing, so group-limited routing took DeepSeek-V3’s own n_group 8 (32 experts each), keeping the best 4 (topk_group).',
      },
    ]);
  });

  it('takes DeepSeek-V2’s 8 and 3 for the V2 softmax variant too', () => {
    const result = applyEdit(modelScenario('deepseek-v2'), {}, [['routing.gating', 'softmax-group-limited']]);
    expect([result.scenario.routing.groups, result.scenario.routing.topkGroups]).toEqual([8, 3]);
  });

  it('uses a default that divides the experts for a model without a group-limited router', () => {
    // Qwen1.5-MoE: 60 experts, top-4; 8 does not divide 60, 6 does (10 experts each), keeping half of them.
    const qwen = applyEdit(modelScenario('qwen1.5-moe-a2.7b'), {}, [['routing.gating', 'group-limited']]);
    expect([qwen.scenario.routing.groups, qwen.scenario.routing.topkGroups]).toEqual([6, 3]);
    expect(qwen.messages[0]?.message).toMatch(
      /took the default n_group 6 \(10 experts each\), keeping the best 3/,
    );
    // 11 experts: no count from 2 to 8 divides them, so there is no layout to bring.
    expect(groupLayoutFor(modelScenario('mixtral-8x7b', [['model.experts', 11]]))).toBeNull();
  });

  it('keeps a group layout already chosen, and one the same edit sets', () => {
    const chosen = modelScenario('deepseek-v3', [['routing.groups', 4]]);
    expect(applyEdit(chosen, {}, [['routing.gating', 'group-limited']]).scenario.routing.groups).toBe(4);
    const own = applyEdit(modelScenario('deepseek-v3'), {}, [
      ['routing.gating', 'group-limited'],
      ['routing.groups', 1],
    ]);
    expect(own.scenario.routing.groups).toBe(1);
    expect(own.messages).toEqual([]);
  });

  it('leaves a link with one group as it is', () => {
    const { scenario } = decodeFragment('v=1&model=deepseek-v3&routing.gating=group-limited');
    expect([scenario.routing.groups, scenario.routing.topkGroups]).toEqual([1, 1]);
  });
});

import { plural } from '../format';
import { nativeRouterOf } from '../catalog/nativeRouters';
import { findModelPreset } from '../catalog/models';
import { isGroupLimited } from '../routing/gatingKinds';
import { largestDivisorAtMost } from './combinations';
import { FIELD_BY_KEY } from './fields';
import { writeField } from './fieldAccess';
import { resolveArchitecture } from './resolve';
import type { Scenario, ValidationMessage } from './types';

/** Groups a layout without a preset of its own uses: DeepSeek-V2 and V3 both split their experts 8 ways. */
const DEFAULT_GROUPS = 8;

export interface GroupLayout {
  groups: number;
  topkGroups: number;
  /** The model whose own router the layout comes from, or undefined for the default. */
  from?: string;
}

/**
 * The n_group / topk_group a group-limited gating should bring when n_group is 1 (one group holding every expert
 * limits nothing, so the choice would route as plain top-k): the model preset's own, as its config gives them
 * (nativeRouters.ts), when they split the experts; else 8 groups, or the largest count below 8 that divides the
 * experts, keeping half of them but never fewer than top-k needs. Null when no count above 1 divides the experts.
 */
export function groupLayoutFor(scenario: Scenario): GroupLayout | null {
  const arch = resolveArchitecture(scenario);
  const router = nativeRouterOf(scenario.model.preset);
  if (
    router?.groups !== undefined &&
    router.topkGroups !== undefined &&
    router.groups > 1 &&
    arch.experts % router.groups === 0 &&
    // The preset's layout must still let a token reach top-k experts (an architecture override may raise k).
    router.topkGroups * (arch.experts / router.groups) >= arch.topK
  )
    return {
      groups: router.groups,
      topkGroups: router.topkGroups,
      from: findModelPreset(scenario.model.preset)?.name ?? scenario.model.preset,
    };
  const groups = largestDivisorAtMost(arch.experts, DEFAULT_GROUPS);
  if (groups <= 1) return null;
  const needed = Math.ceil(arch.topK / (arch.experts / groups));
  return { groups, topkGroups: Math.min(groups, Math.max(Math.ceil(groups / 2), needed)) };
}

function set(scenario: Scenario, key: string, value: number): Scenario {
  const field = FIELD_BY_KEY.get(key);
  if (!field) throw new Error(`unknown field ${key}`);
  return writeField(scenario, field, value);
}

/**
 * An edit that picks a group-limited gating while n_group is 1 also sets the group layout (groupLayoutFor), with a
 * message saying so: the user asked for a group limit, and one group applies none. Only an edit does this; a link
 * with n_group 1 opens as it says (the Routing lab then says the one group limits nothing). An edit that sets
 * n_group itself (the "Use DeepSeek-V3’s router" button) keeps its own.
 */
export function withGroupLayoutForGating(
  scenario: Scenario,
  editedKeys: ReadonlySet<string>,
): { scenario: Scenario; messages: ValidationMessage[] } {
  const unchanged = { scenario, messages: [] };
  if (!editedKeys.has('routing.gating') || editedKeys.has('routing.groups')) return unchanged;
  if (!isGroupLimited(scenario.routing.gating) || scenario.routing.groups !== 1) return unchanged;
  const layout = groupLayoutFor(scenario);
  if (!layout) return unchanged;
  const arch = resolveArchitecture(scenario);
  const whose = layout.from ? `${layout.from}’s own` : 'the default';
  const message =
    `One expert group limits nothing, so group-limited routing took ${whose} n_group ${layout.groups} ` +
    `(${plural(arch.experts / layout.groups, 'expert')} each), keeping the best ${layout.topkGroups} (topk_group).`;
  return {
    scenario: set(set(scenario, 'routing.groups', layout.groups), 'routing.topkGroups', layout.topkGroups),
    messages: [{ kind: 'combination', key: 'routing.groups', message }],
  };
}

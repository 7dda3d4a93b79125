import { isGroupLimited, resolveArchitecture } from '../../core';
import { plural } from '../../core/format';
import { useAppState } from '../../state/AppStoreContext';

/**
 * What group limit the settings apply, under n_group and topk_group: the model's own router (NativeRouterHint above)
 * may keep 4 of 8 groups while these settings keep a different number, or one group, which limits nothing.
 */
export function GroupLimitNote() {
  const scenario = useAppState((state) => state.scenario);
  const { gating, groups, topkGroups } = scenario.routing;
  if (!isGroupLimited(gating)) return null;
  const experts = resolveArchitecture(scenario).experts;
  const text =
    groups <= 1
      ? '1 group: no limit. Every expert is a candidate, so this routes as plain top-k; set n_group above 1 to limit a token’s groups.'
      : topkGroups >= groups
        ? `Keeping all ${groups} groups: no limit, so this routes as plain top-k.`
        : `Applied: each token keeps its best ${topkGroups} of ${groups} groups (${plural(experts / groups, 'expert')} each) and takes its top-k inside them.`;
  return (
    <p className="chart__note" data-testid="group-limit-note">
      {text}
    </p>
  );
}

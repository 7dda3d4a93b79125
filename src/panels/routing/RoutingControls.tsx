import { memo } from 'react';
import { decodesWithoutCapacity, isGroupLimited, type Scenario } from '../../core';
import { LabControls, type ControlGroup } from '../common/LabControls';
import { DecodeCapacityNote } from './DecodeCapacityNote';
import { GroupLimitNote } from './GroupLimitNote';
import { HashRoutingNote } from './HashRoutingNote';
import { NativeRouterHint } from './NativeRouterHint';

export const ROUTING_FIELD_GROUPS: readonly ControlGroup[] = [
  {
    title: 'Router skew',
    keys: [
      'routing.profile',
      'routing.zipfExponent',
      'routing.noise',
      'routing.layerCorrelation',
      'routing.drift',
      'vision',
      'routing.visionExpertFraction',
      'routing.visionBias',
    ],
  },
  { title: 'Gating', keys: ['routing.gating', 'routing.groups', 'routing.topkGroups'] },
  {
    title: 'Capacity and drops',
    keys: [
      'routing.capacity',
      'routing.capacityFactor',
      'routing.dropPolicy',
      'routing.expandedDrop',
      'routing.tokensPerDevice',
    ],
  },
];

/** Which routing controls matter for the current settings. */
const CAPACITY_KEYS = new Set([
  'routing.capacity',
  'routing.capacityFactor',
  'routing.dropPolicy',
  'routing.expandedDrop',
]);

function relevant(key: string, scenario: Scenario): boolean {
  const routing = scenario.routing;
  // Decode steps are routed dropless (DecodeCapacityNote says why): no capacity control would change anything.
  if (CAPACITY_KEYS.has(key) && decodesWithoutCapacity(scenario)) return false;
  if (key === 'routing.zipfExponent') return routing.profile === 'zipf';
  // The vision-heavy experts only matter once the batch has vision tokens (the Vision tokens control above them).
  if (key === 'routing.visionExpertFraction' || key === 'routing.visionBias')
    return scenario.workload.visionFraction > 0;
  if (key === 'routing.groups' || key === 'routing.topkGroups') return isGroupLimited(routing.gating);
  if (key === 'routing.dropPolicy' || key === 'routing.expandedDrop') {
    const tokenChoiceWithCapacity = routing.capacity !== 'off' && routing.gating !== 'expert-choice';
    // Expanded Drop always keeps each expert's top-C by score (Capacity-Aware Alg. 2): no policy to choose.
    return key === 'routing.dropPolicy'
      ? tokenChoiceWithCapacity && !routing.expandedDrop
      : tokenChoiceWithCapacity;
  }
  if (key === 'routing.capacityFactor')
    return routing.capacity !== 'off' || routing.gating === 'expert-choice';
  return true;
}

/** Every routing setting, each with its one-line explanation and its source. */
// Memoised: it takes no props and reads the store itself, so the lab stepping its batch or iteration while playing
// does not re-render it.
export const RoutingControls = memo(function RoutingControls() {
  return (
    <LabControls
      groups={ROUTING_FIELD_GROUPS}
      relevant={relevant}
      groupIntro={{ Gating: <NativeRouterHint />, 'Capacity and drops': <DecodeCapacityNote /> }}
      groupOutro={{
        Gating: (
          <>
            <GroupLimitNote />
            <HashRoutingNote />
          </>
        ),
      }}
    />
  );
});

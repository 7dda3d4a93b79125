import { findModelPreset } from '../core/catalog/models';
import { nativeRouterEntries, nativeRouterOf, routesNatively } from '../core/catalog/nativeRouters';
import type { Scenario } from '../core/scenario/types';

/**
 * What the Routing lab says beside its settings and a table would not: that a preset routes with the lab's gating
 * until asked to route as the model does (picking a model keeps the gating, so comparisons keep their router), and
 * that a custom load profile falls back to Zipf here, where no matrix can be loaded.
 */
export function routingNotes(scenario: Scenario): string[] {
  const notes: string[] = [];
  const router = nativeRouterOf(scenario.model.preset);
  if (router && !routesNatively(scenario, router)) {
    const name = findModelPreset(scenario.model.preset)?.name ?? scenario.model.preset;
    const settings = nativeRouterEntries(router)
      .map(([key, value]) => `--set ${key}=${String(value)}`)
      .join(' ');
    notes.push(
      `routing uses gating ${scenario.routing.gating}; ${name}’s own router is ${router.summary} Route as it does with ${settings}.`,
    );
  }
  if (scenario.routing.profile === 'custom')
    notes.push(
      `routing.profile=custom asks for a per-layer load matrix, which the command line cannot load: routing falls back to the Zipf profile (exponent ${scenario.routing.zipfExponent}).`,
    );
  return notes;
}

import { describeProfileMapping, findModelPreset, olmoeProfileMapping, type Scenario } from '../../core';

/**
 * Says how the measured OLMoE profile (64 experts) is put onto a model with another expert count, since the
 * mapping, not the measurement, sets how skewed that model's router is (measuredProfile.ts says why this mapping).
 */
export function MeasuredProfileNote({ scenario, experts }: { scenario: Scenario; experts: number }) {
  const mapping = scenario.routing.profile === 'olmoe' ? olmoeProfileMapping(experts) : null;
  if (!mapping) return null;
  const modelName = findModelPreset(scenario.model.preset)?.name ?? 'This model';
  return (
    <p className="chart__note" data-testid="measured-profile-note">
      {modelName} has {experts} routed experts, not OLMoE’s {mapping.sourceExperts}.{' '}
      {describeProfileMapping(mapping)}
    </p>
  );
}

import { FIELDS, readField, type Field } from '../../core';
import { FieldControl } from '../../app/FieldControl';
import { useAppState } from '../../state/AppStoreContext';

/** Which routing controls matter for the current settings; the others are hidden, not disabled, to keep it calm. */
function relevant(field: Field, routing: { profile: string; gating: string; capacity: string }): boolean {
  if (field.key === 'routing.zipfExponent') return routing.profile === 'zipf';
  if (field.key === 'routing.groups' || field.key === 'routing.topkGroups')
    return routing.gating === 'group-limited';
  if (field.key === 'routing.dropPolicy' || field.key === 'routing.expandedDrop')
    return routing.capacity !== 'off' && routing.gating !== 'expert-choice';
  if (field.key === 'routing.capacityFactor')
    return routing.capacity !== 'off' || routing.gating === 'expert-choice';
  return field.key !== 'routing.batch' && field.key !== 'routing.layer';
}

export const ROUTING_FIELD_GROUPS: readonly { title: string; keys: readonly string[] }[] = [
  {
    title: 'Router skew',
    keys: [
      'routing.profile',
      'routing.zipfExponent',
      'routing.noise',
      'routing.layerCorrelation',
      'routing.drift',
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

/** Every routing setting, each with its one-line explanation and its source. */
export function RoutingControls() {
  const scenario = useAppState((state) => state.scenario);
  const setField = useAppState((state) => state.setField);
  return (
    <div className="routing-controls">
      {ROUTING_FIELD_GROUPS.map((group) => (
        <fieldset key={group.title} className="control-group">
          <legend>{group.title}</legend>
          {group.keys
            .map((key) => FIELDS.find((field) => field.key === key))
            .filter((field): field is Field => field !== undefined && relevant(field, scenario.routing))
            .map((field) => (
              <div key={field.key}>
                <FieldControl
                  field={field}
                  value={readField(scenario, field)}
                  overridden={false}
                  onCommit={(raw) => setField(field.key, raw)}
                />
                {field.source ? <p className="field__source">Source: {field.source}</p> : null}
              </div>
            ))}
        </fieldset>
      ))}
    </div>
  );
}

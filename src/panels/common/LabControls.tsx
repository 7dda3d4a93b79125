import type { ReactNode } from 'react';
import { FIELD_BY_KEY, type Field, type Scenario } from '../../core';
import { ConnectedField } from '../../app/ConnectedField';
import { useAppState } from '../../state/AppStoreContext';
import { SourceText } from './SourceText';

export interface ControlGroup {
  title: string;
  keys: readonly string[];
}

/**
 * A lab's settings in titled groups, each control with its one-line explanation and its source. Controls that do
 * not matter for the current settings (`relevant` says which) are hidden rather than disabled, to keep it calm.
 */
export function LabControls({
  groups,
  relevant,
  groupIntro = {},
  groupOutro = {},
}: {
  groups: readonly ControlGroup[];
  relevant: (key: string, scenario: Scenario) => boolean;
  /** Shown at the top of the group with that title, before its controls. */
  groupIntro?: Readonly<Record<string, ReactNode>>;
  /** Shown at the end of the group with that title, after its controls. */
  groupOutro?: Readonly<Record<string, ReactNode>>;
}) {
  return (
    <div className="lab-controls">
      {groups.map((group) => (
        <fieldset key={group.title} className="control-group">
          <legend>{group.title}</legend>
          {groupIntro[group.title]}
          {group.keys
            .map((key) => FIELD_BY_KEY.get(key))
            .filter((field): field is Field => field !== undefined)
            .map((field) => (
              <LabField key={field.key} field={field} relevant={relevant} />
            ))}
          {groupOutro[group.title]}
        </fieldset>
      ))}
    </div>
  );
}

/** One lab setting with its source, or nothing while it does not matter (its relevance is read from the store too). */
function LabField({
  field,
  relevant,
}: {
  field: Field;
  relevant: (key: string, scenario: Scenario) => boolean;
}) {
  const shown = useAppState((state) => relevant(field.key, state.scenario));
  if (!shown) return null;
  return (
    <div>
      <ConnectedField field={field} />
      {field.source ? (
        <p className="field__source">
          Source: <SourceText source={field.source} />
        </p>
      ) : null}
    </div>
  );
}

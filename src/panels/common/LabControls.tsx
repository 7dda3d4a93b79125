import type { ReactNode } from 'react';
import { FIELD_BY_KEY, isChanged, readField, type Field, type Scenario } from '../../core';
import { FieldControl } from '../../app/FieldControl';
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

/**
 * One lab setting with its source, or nothing while it does not matter. It reads its own value and relevance from
 * the store, so it re-renders only when those change, not as the batch or iteration shown steps while playing. A
 * setting whose default comes from the model preset (the optimizer bytes) says when it differs and can be reset, as
 * the sidebar's preset figures can.
 */
function LabField({
  field,
  relevant,
}: {
  field: Field;
  relevant: (key: string, scenario: Scenario) => boolean;
}) {
  const shown = useAppState((state) => relevant(field.key, state.scenario));
  const value = useAppState((state) => readField(state.scenario, field));
  const overridden = useAppState(
    (state) => field.presetDefault !== undefined && isChanged(state.scenario, field),
  );
  const setField = useAppState((state) => state.setField);
  const resetField = useAppState((state) => state.resetField);
  if (!shown) return null;
  return (
    <div>
      <FieldControl
        field={field}
        value={value}
        overridden={overridden}
        onCommit={(raw, options) => setField(field.key, raw, options)}
        {...(field.presetDefault ? { onReset: () => resetField(field.key) } : {})}
      />
      {field.source ? (
        <p className="field__source">
          Source: <SourceText source={field.source} />
        </p>
      ) : null}
    </div>
  );
}

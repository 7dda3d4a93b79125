import { isChanged, readField, type Field } from '../core';
import { useAppState } from '../state/AppStoreContext';
import { FieldControl } from './FieldControl';

/**
 * One setting connected to the store, re-rendered only when its own value or its difference from the preset changes
 * (not as the batch or iteration shown steps while playing). A field whose default comes from the model preset says
 * when it differs and can be reset.
 */
export function ConnectedField({ field }: { field: Field }) {
  const value = useAppState((state) => readField(state.scenario, field));
  const overridden = useAppState(
    (state) => field.presetDefault !== undefined && isChanged(state.scenario, field),
  );
  const setField = useAppState((state) => state.setField);
  const resetField = useAppState((state) => state.resetField);
  return (
    <FieldControl
      field={field}
      value={value}
      overridden={overridden}
      onCommit={(raw, options) => setField(field.key, raw, options)}
      {...(field.presetDefault ? { onReset: () => resetField(field.key) } : {})}
    />
  );
}

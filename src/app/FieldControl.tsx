import { useId, useState, type KeyboardEvent } from 'react';
import type { Field, FieldValue, NumericField } from '../core';
import { parseFieldValue } from '../core/scenario/parseValue';
import { useAppState } from '../state/AppStoreContext';

interface Props {
  field: Field;
  value: FieldValue;
  /** The field refines a preset and differs from it. */
  overridden: boolean;
  onCommit: (raw: unknown) => void;
  onReset?: () => void;
}

function rangeText(field: NumericField): string {
  return `${field.min}–${field.max}${field.unit ? ` ${field.unit}` : ''}`;
}

/**
 * A number input keeps what the user is typing as a draft: values that are valid as typed apply at once; anything
 * else is explained inline and applied (clamped) only on Enter or when the field loses focus, so typing "1024"
 * into a field whose minimum is 16 does not snap to 16 at the first keystroke. A draft is dropped when a scenario is
 * opened whole (Back, Forward, a link, a reset), even with the field still focused: it was typed over a value that
 * is gone.
 */
function NumberInput({
  field,
  value,
  onCommit,
  inputId,
  describedBy,
}: {
  field: NumericField;
  value: number;
  onCommit: (raw: unknown) => void;
  inputId: string;
  describedBy: string;
}) {
  const openCount = useAppState((state) => state.openCount);
  const [typed, setTyped] = useState<{ text: string; openCount: number } | null>(null);
  const draft = typed !== null && typed.openCount === openCount ? typed.text : null;
  const setDraft = (text: string | null) => setTyped(text === null ? null : { text, openCount });
  const shownText = draft ?? String(value);
  const parsed = draft === null ? null : parseFieldValue(field, draft);
  const problem =
    parsed && (!parsed.ok || parsed.message)
      ? `Allowed ${rangeText(field)}${field.kind === 'integer' ? ', whole numbers' : ''}.`
      : null;
  const commit = () => {
    if (draft !== null && draft.trim() !== '') onCommit(draft);
    setDraft(null);
  };
  return (
    <>
      <input
        id={inputId}
        type="number"
        inputMode={field.kind === 'integer' ? 'numeric' : 'decimal'}
        min={field.min}
        max={field.max}
        step={field.step}
        value={shownText}
        aria-describedby={describedBy}
        aria-invalid={problem ? true : undefined}
        onChange={(event) => {
          const text = event.target.value;
          setDraft(text);
          const check = parseFieldValue(field, text);
          if (check.ok && !check.message) onCommit(text);
        }}
        onBlur={commit}
        onKeyDown={(event: KeyboardEvent<HTMLInputElement>) => {
          if (event.key === 'Enter') commit();
          if (event.key === 'Escape') setDraft(null);
        }}
      />
      {problem ? (
        <span className="field__problem" role="status">
          {problem}
        </span>
      ) : null}
    </>
  );
}

export function FieldControl({ field, value, overridden, onCommit, onReset }: Props) {
  const baseId = useId();
  const inputId = `${baseId}-input`;
  const helpId = `${baseId}-help`;
  const unit = field.kind === 'number' || field.kind === 'integer' ? field.unit : '';
  return (
    <div className={`field${overridden ? ' field--overridden' : ''}`} data-field={field.key}>
      {field.kind === 'boolean' ? (
        <label className="field__checkbox">
          <input
            id={inputId}
            type="checkbox"
            checked={value === true}
            aria-describedby={helpId}
            onChange={(event) => onCommit(event.target.checked)}
          />
          {field.label}
        </label>
      ) : (
        <label className="field__label" htmlFor={inputId}>
          {field.label}
          {unit ? <span className="field__unit"> ({unit})</span> : null}
        </label>
      )}
      <div className="field__row">
        {field.kind === 'enum' ? (
          <select
            id={inputId}
            value={String(value)}
            aria-describedby={helpId}
            onChange={(event) => onCommit(event.target.value)}
          >
            {field.options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        ) : field.kind === 'boolean' ? null : (
          <NumberInput
            field={field}
            value={Number(value)}
            onCommit={onCommit}
            inputId={inputId}
            describedBy={helpId}
          />
        )}
        {overridden && onReset ? (
          <button
            type="button"
            className="field__reset"
            onClick={onReset}
            aria-label={`Reset ${field.label} to the preset's value`}
          >
            Reset
          </button>
        ) : null}
      </div>
      <p id={helpId} className="field__help">
        {field.help}
        {overridden ? ' Changed from the preset.' : ''}
      </p>
    </div>
  );
}

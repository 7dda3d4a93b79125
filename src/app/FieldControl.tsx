import { useId, useState, type ChangeEvent, type KeyboardEvent } from 'react';
import { steppedValue, type Field, type FieldValue, type NumericField } from '../core';
import { formatPlain, parseFieldValue } from '../core/scenario/parseValue';
import { useAppState, useAppStore } from '../state/AppStoreContext';
import type { EditOptions } from '../state/store';
import { fieldNotes, type FieldNotes } from '../state/fieldNotes';

interface Props {
  field: Field;
  value: FieldValue;
  /** The field refines a preset and differs from it. */
  overridden: boolean;
  onCommit: (raw: unknown, options?: EditOptions) => void;
  onReset?: () => void;
}

/** The factor from the scenario's value to the one the input shows (100 for a fraction read in percent). */
function displayScale(field: NumericField): number {
  return field.display?.scale ?? 1;
}

/** The unit the input is read in. */
function displayUnit(field: NumericField): string {
  return field.display?.unit ?? field.unit;
}

function rangeText(field: NumericField): string {
  const scale = displayScale(field);
  const unit = displayUnit(field);
  return `${formatPlain(field.min * scale)}–${formatPlain(field.max * scale)}${unit ? ` ${unit}` : ''}`;
}

/**
 * What the input's text means to the scenario: a number typed into a field read in another unit carries that unit
 * ("3.75" in a percent field is "3.75 %"), so the parser converts it and its messages speak the unit the user typed.
 */
function rawOf(field: NumericField, text: string): string {
  return field.display && text.trim() !== '' ? `${text.trim()} ${field.display.unit}` : text;
}

/**
 * Whether an input event is the browser stepping the number (its spinner, or an arrow key where one gets through)
 * rather than typing: stepping fires a plain Event, typing, pasting and deleting an InputEvent that names its kind.
 */
function isStepEvent(event: ChangeEvent<HTMLInputElement>): boolean {
  const native = event.nativeEvent as Partial<InputEvent>;
  return native.type === 'input' && !native.inputType;
}

/**
 * A number input keeps what the user is typing as a draft: values that are valid as typed apply at once; anything
 * else is explained inline and applied (clamped) only on Enter or when the field loses focus, so typing "1024"
 * into a field whose minimum is 16 does not snap to 16 at the first keystroke. A draft is dropped when a scenario is
 * opened whole (Back, Forward, a link, a reset), even with the field still focused: it was typed over a value that
 * is gone.
 *
 * The arrow keys and the spinner step to the next value the scenario keeps (steppedValue): EP on 256 experts goes
 * 8 → 16 → 32, rather than through values that are each put back at once.
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
  onCommit: (raw: unknown, options?: EditOptions) => void;
  inputId: string;
  describedBy: string;
}) {
  const openCount = useAppState((state) => state.openCount);
  const store = useAppStore();
  // `applied`: this text was valid as typed and is in the scenario already; `edited`: some text of this draft was, so
  // the next one revises that edit rather than stacking on it (a half-typed value leaves no trace).
  const [typed, setTyped] = useState<{
    text: string;
    openCount: number;
    applied: boolean;
    edited: boolean;
  } | null>(null);
  const current = typed !== null && typed.openCount === openCount ? typed : null;
  const draft = current?.text ?? null;
  const revises = current?.edited ?? false;
  const setDraft = (text: string | null, applied = false) =>
    setTyped(text === null ? null : { text, openCount, applied, edited: revises || applied });
  const scale = displayScale(field);
  const shownText = draft ?? (scale === 1 ? String(value) : formatPlain(value * scale));
  const parsed = draft === null ? null : parseFieldValue(field, rawOf(field, draft));
  const problem =
    parsed && (!parsed.ok || parsed.message)
      ? `Allowed ${rangeText(field)}${field.kind === 'integer' ? ', whole numbers' : ''}.`
      : null;
  const commit = () => {
    // A draft applied as typed is not applied again: that second edit would change nothing, and an edit that needs no
    // adjustment clears the notice, so Enter would take away the explanation of what the typed value adjusted.
    if (draft !== null && draft.trim() !== '' && !current?.applied)
      onCommit(rawOf(field, draft), { revises });
    setDraft(null);
  };
  const step = (direction: 1 | -1) => {
    // From what is shown: a draft being typed, as far as it reads as a number, else the value.
    const from = parsed?.ok ? Number(parsed.value) : value;
    const next = steppedValue(store.getState().scenario, field, from, direction);
    setDraft(null);
    if (next !== undefined && next !== value) onCommit(next);
  };
  return (
    <>
      <input
        id={inputId}
        type="number"
        inputMode={field.kind === 'integer' ? 'numeric' : 'decimal'}
        min={field.min * scale}
        max={field.max * scale}
        step={field.step * scale}
        value={shownText}
        aria-describedby={describedBy}
        aria-invalid={problem ? true : undefined}
        onChange={(event) => {
          const text = event.target.value;
          const stepped = Number(text) - Number(shownText);
          const shownStep = field.step * scale;
          const byOneStep = Math.abs(Math.abs(stepped) - shownStep) < shownStep * 1e-6;
          if (isStepEvent(event) && text !== '' && shownText !== '' && byOneStep) {
            step(stepped > 0 ? 1 : -1);
            return;
          }
          const check = parseFieldValue(field, rawOf(field, text));
          const applies = check.ok && !check.message;
          setDraft(text, applies);
          if (applies) onCommit(rawOf(field, text), { revises });
        }}
        onBlur={commit}
        onKeyDown={(event: KeyboardEvent<HTMLInputElement>) => {
          if (event.key === 'Enter') commit();
          if (event.key === 'Escape') setDraft(null);
          if ((event.key === 'ArrowUp' || event.key === 'ArrowDown') && !event.altKey && !event.metaKey) {
            event.preventDefault();
            step(event.key === 'ArrowUp' ? 1 : -1);
          }
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

/**
 * What the last edit made of this field, under it: the page may be scrolled far from the banner that lists every
 * adjustment, and the field the user just changed is where they look. The input names it in aria-describedby; the
 * banner's live region announces the whole list once.
 */
function FieldNotesView({ id, notes }: { id: string; notes: FieldNotes }) {
  return (
    <div id={id} className="field__notes" data-field-notes="">
      {notes.own.map((message, index) => (
        <p key={index} className="field__note">
          {message.message}
        </p>
      ))}
      {notes.elsewhere.length > 0 ? (
        <>
          <p className="field__note">This change also adjusted:</p>
          <ul>
            {notes.elsewhere.map((message, index) => (
              <li key={index}>{message.message}</li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

export function FieldControl({ field, value, overridden, onCommit, onReset }: Props) {
  const baseId = useId();
  const inputId = `${baseId}-input`;
  const helpId = `${baseId}-help`;
  const notesId = `${baseId}-notes`;
  const notice = useAppState((state) => state.notice);
  const notes = fieldNotes(notice, field.key);
  const describedBy = notes ? `${helpId} ${notesId}` : helpId;
  const unit = field.kind === 'number' || field.kind === 'integer' ? displayUnit(field) : '';
  return (
    <div className={`field${overridden ? ' field--overridden' : ''}`} data-field={field.key}>
      {field.kind === 'boolean' ? (
        <label className="field__checkbox">
          <input
            id={inputId}
            type="checkbox"
            checked={value === true}
            aria-describedby={describedBy}
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
            aria-describedby={describedBy}
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
            describedBy={describedBy}
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
      {notes ? <FieldNotesView id={notesId} notes={notes} /> : null}
    </div>
  );
}

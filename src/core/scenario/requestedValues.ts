import { reconcileCombinations } from './combinations';
import { readField, type FieldValue } from './fieldAccess';
import { FIELD_BY_KEY, type Field } from './fields';
import { withGroupLayoutForGating } from './groupLayout';
import { writeEntries } from './validate';
import type { Scenario, ValidationMessage } from './types';

/**
 * Values the user asked for that an impossible combination made the scenario give up, by field key: EP=8 on a
 * 60-expert model runs as EP=4, and EP=8 comes back when a model whose experts it divides is chosen. Not part of the
 * scenario or its link (a link opens exactly what it says); it is the memory of one editing session.
 */
export type RequestedValues = Readonly<Record<string, FieldValue>>;

export interface EditResult {
  scenario: Scenario;
  requested: RequestedValues;
  messages: ValidationMessage[];
}

/** Fields whose values a preset choice clears (architecture and GPU overrides), by the preset's key. */
function clearedByPreset(field: Field, editedKeys: ReadonlySet<string>): boolean {
  const container = field.path[1];
  return (
    (editedKeys.has('model') && container === 'overrides') ||
    (editedKeys.has('gpu') && container === 'gpuOverrides')
  );
}

function shownValue(field: Field, value: FieldValue): string {
  if (field.kind === 'enum')
    return field.options.find((option) => option.value === value)?.label ?? `${value}`;
  return `${value}`;
}

/**
 * Applies an edit the way a user expects a form to behave. The edited fields are written (a group-limited gating
 * chosen on one group brings a group layout, see groupLayout.ts), then any value the user asked for earlier and had to give up is tried again, then impossible combinations are fixed. A fix records the
 * value it replaced as requested (unless the user's earlier request is already there); a requested value that now
 * holds is restored, with a message saying so, and forgotten. Editing a field forgets what was requested for it.
 *
 * A requested value that still cannot hold gets no message when the scenario keeps the value it already had: the
 * user changed something else, and repeating an old fix on every edit would bury the messages that matter.
 */
export function applyEdit(
  base: Scenario,
  requested: RequestedValues,
  entries: Iterable<readonly [string, unknown]>,
): EditResult {
  const list = [...entries];
  const editedKeys = new Set(list.map(([key]) => key));
  const retried: [string, FieldValue][] = [];
  for (const [key, value] of Object.entries(requested)) {
    const field = FIELD_BY_KEY.get(key);
    if (!field || editedKeys.has(key) || clearedByPreset(field, editedKeys)) continue;
    retried.push([key, value]);
  }
  // The edit first, so a preset choice lands before the requests that refine it; then the requests.
  const written = writeEntries(base, list);
  const layout = withGroupLayoutForGating(written.scenario, editedKeys);
  const withRequests = writeEntries(layout.scenario, retried).scenario;
  const reconciled = reconcileCombinations(withRequests);

  const next: Record<string, FieldValue> = {};
  const restoredMessages: ValidationMessage[] = [];
  const unchangedRetries = new Set<string>();
  for (const [key, value] of retried) {
    const field = FIELD_BY_KEY.get(key)!;
    const now = readField(reconciled.scenario, field);
    const before = readField(base, field);
    if (now === value) {
      if (before !== value)
        restoredMessages.push({
          kind: 'combination',
          key,
          message: `${field.label} is back to ${shownValue(field, value)}, the value you chose before it had to be adjusted.`,
        });
      continue;
    }
    next[key] = value;
    if (now === before) unchangedRetries.add(key);
  }
  for (const message of reconciled.messages) {
    const key = message.key;
    if (key === undefined || key in next) continue;
    const field = FIELD_BY_KEY.get(key);
    if (field) next[key] = readField(withRequests, field);
  }
  const fixes = reconciled.messages.filter(
    (message) => message.key === undefined || !unchangedRetries.has(message.key),
  );
  return {
    scenario: reconciled.scenario,
    requested: next,
    messages: [...written.messages, ...layout.messages, ...fixes, ...restoredMessages],
  };
}

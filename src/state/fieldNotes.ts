import type { ValidationMessage } from '../core';
import type { Notice } from './store';

/** What a field says under itself about the last edit's adjustments. */
export interface FieldNotes {
  /** What the validator changed in this field. */
  own: readonly ValidationMessage[];
  /** For a field the edit set: what else the edit changed, so the field the user is looking at says it all. */
  elsewhere: readonly ValidationMessage[];
}

/**
 * The notes a field shows for the current notice, or null. Only an edit's notice is split up this way: the user is
 * at the field they changed, perhaps scrolled far from the banner that lists everything. A link's fixes stay in the
 * banner, where the page opens.
 */
export function fieldNotes(notice: Notice | null, key: string): FieldNotes | null {
  if (!notice || notice.origin !== 'edit') return null;
  const own = notice.messages.filter((message) => message.key === key);
  const edited = notice.editedKeys?.includes(key) ?? false;
  const elsewhere = edited ? notice.messages.filter((message) => message.key !== key) : [];
  return own.length > 0 || elsewhere.length > 0 ? { own, elsewhere } : null;
}

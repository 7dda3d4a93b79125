import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import {
  FIELD_BY_KEY,
  applyEdit,
  applyEntries,
  decodeFragment,
  defaultOf,
  encodeFragment,
  linkView,
  defaultScenario,
  writeField,
  type RequestedValues,
  type Scenario,
  type ValidationMessage,
} from '../core';
import { DEFAULT_TAB, tabFromLink, type TabId } from '../core/scenario/labs';

// The labs belong to the link format (core), so the command line reads `lab=` as the app does.
export { DEFAULT_TAB, TAB_IDS, tabFromLink, type TabId } from '../core/scenario/labs';

/** What a link opens: the scenario, the lab and any fixes it needed. */
export function openLink(fragment: string): {
  scenario: Scenario;
  tab: TabId;
  messages: ValidationMessage[];
} {
  const decoded = decodeFragment(fragment);
  const lab = tabFromLink(linkView(fragment).lab);
  return { scenario: decoded.scenario, tab: lab.tab, messages: [...decoded.messages, ...lab.messages] };
}

/** The fragment for a scenario seen in a lab: the default lab is left out, so old links and new ones agree. */
export function fragmentFor(scenario: Scenario, tab: TabId): string {
  return encodeFragment(scenario, tab === DEFAULT_TAB ? {} : { lab: tab });
}
export type Theme = 'light' | 'dark';

/** A list of messages for the user, with where they came from so the notice can say so. */
export interface Notice {
  origin: 'link' | 'edit';
  messages: ValidationMessage[];
  /** For a link: the fragment as it was opened, so nothing the user had is lost when the address is rewritten. */
  openedFragment?: string;
  /** For an edit: the fields it set, which say under themselves everything the edit changed (see fieldNotes). */
  editedKeys?: readonly string[];
}

/** The notice for opening a fragment, or null when it needed no fixes. */
export function linkNotice(fragment: string, messages: ValidationMessage[]): Notice | null {
  return messages.length > 0
    ? { origin: 'link', messages, openedFragment: fragment.replace(/^#/, '') }
    : null;
}

/** A per-layer expert-load matrix the user brought (pasted or uploaded); it drives routing when the profile is 'custom'. */
export interface CustomLoads {
  /** Rows are MoE layers, columns experts; non-negative, validated on the way in. */
  matrix: number[][];
  /** Where it came from: a file name or "pasted". */
  name: string;
}

export interface EditOptions {
  /**
   * The edit takes the place of the one just made to the same fields (the next keystroke of a number being typed):
   * it applies to the scenario from before that edit, so a half-typed value leaves no trace in what is adjusted or
   * said. Ignored when anything else changed the scenario in between.
   */
  revises?: boolean;
}

export interface AppState {
  scenario: Scenario;
  /**
   * Counts the times a scenario was opened whole (a link, Back or Forward, a reset), so an input drops what the user
   * was typing into it: the value it was typed over is gone.
   */
  openCount: number;
  /** Values the user set that a combination made the scenario give up, tried again on every edit (see applyEdit). */
  requested: RequestedValues;
  customLoads: CustomLoads | null;
  /** Keeps the matrix and switches the routing profile to it. */
  setCustomLoads: (loads: CustomLoads) => void;
  clearCustomLoads: () => void;
  notice: Notice | null;
  /** A paper check opened from Learn, with the scenario it opened (its figure is for that scenario). */
  openedCheck: { id: string; scenario: Scenario } | null;
  /** Opens a paper check's scenario on its lab, remembering which check it was. */
  openCheck: (id: string, fragment: string) => void;
  closeCheck: () => void;
  activeTab: TabId;
  theme: Theme;
  /** Sets one field from a raw value (what the user typed or picked); impossible combinations are fixed and explained. */
  setField: (key: string, raw: unknown, options?: EditOptions) => void;
  /** Sets several fields at once, then fixes and explains impossible combinations once. */
  setFields: (entries: [key: string, raw: unknown][], options?: EditOptions) => void;
  /** Puts a preset-refining field back to the preset's value. */
  resetField: (key: string) => void;
  /** Opens a share-link fragment on the lab it names; any fixes it needed are listed in the notice. */
  openFragment: (fragment: string) => void;
  resetScenario: () => void;
  dismissNotice: () => void;
  setTab: (tab: TabId) => void;
  setTheme: (theme: Theme) => void;
}

export function createAppStore(
  initial: { scenario?: Scenario; tab?: TabId; theme?: Theme; notice?: Notice | null } = {},
) {
  // The last edit, for an edit that revises it (EditOptions.revises). Not state: nothing renders it.
  let lastEdit: {
    keys: string;
    base: Scenario;
    requested: RequestedValues;
    scenario: Scenario;
    requestedAfter: RequestedValues;
  } | null = null;
  return createStore<AppState>()((set, get) => ({
    scenario: initial.scenario ?? defaultScenario(),
    requested: {},
    openCount: 0,
    customLoads: null,
    setCustomLoads: (loads) => {
      const result = applyEntries(get().scenario, [['routing.profile', 'custom']]);
      set({ customLoads: loads, scenario: result.scenario });
    },
    clearCustomLoads: () => set({ customLoads: null }),
    notice: initial.notice ?? null,
    openedCheck: null,
    openCheck: (id, fragment) => {
      get().openFragment(fragment);
      set({ openedCheck: { id, scenario: get().scenario } });
    },
    closeCheck: () => set({ openedCheck: null }),
    activeTab: initial.tab ?? DEFAULT_TAB,
    theme: initial.theme ?? 'light',
    setField: (key, raw, options) => get().setFields([[key, raw]], options),
    setFields: (entries, options = {}) => {
      // Typing 62 experts digit by digit then says, as typing it at once does, that EP=4 became 2, rather than
      // nothing because the half-typed 6 had already changed it.
      const keys = entries.map(([key]) => key).join('\n');
      const { scenario, requested } = get();
      const revises =
        options.revises === true &&
        lastEdit !== null &&
        lastEdit.keys === keys &&
        lastEdit.scenario === scenario &&
        lastEdit.requestedAfter === requested;
      const base = revises && lastEdit ? lastEdit.base : scenario;
      const baseRequested = revises && lastEdit ? lastEdit.requested : requested;
      const result = applyEdit(base, baseRequested, entries);
      lastEdit = {
        keys,
        base,
        requested: baseRequested,
        scenario: result.scenario,
        requestedAfter: result.requested,
      };
      // An edit's adjustments replace the notice. An edit that needed none clears an earlier edit's notice, which
      // would now describe a scenario that is gone; a link's notice stays until dismissed (what the link needed).
      const previous = get().notice;
      set({
        scenario: result.scenario,
        requested: result.requested,
        notice:
          result.messages.length > 0
            ? { origin: 'edit', messages: result.messages, editedKeys: entries.map(([key]) => key) }
            : previous?.origin === 'edit'
              ? null
              : previous,
      });
    },
    resetField: (key) => {
      const field = FIELD_BY_KEY.get(key);
      if (!field) return;
      const scenario = get().scenario;
      const { [key]: _forgotten, ...requested } = get().requested;
      set({ scenario: writeField(scenario, field, defaultOf(scenario, field)), requested });
    },
    openFragment: (fragment) => {
      const result = openLink(fragment);
      set({
        scenario: result.scenario,
        requested: {},
        openCount: get().openCount + 1,
        activeTab: result.tab,
        notice: result.messages.length > 0 ? { origin: 'link', messages: result.messages } : null,
        openedCheck: null,
      });
    },
    resetScenario: () => set({ scenario: defaultScenario(), requested: {}, notice: null, openedCheck: null }),
    dismissNotice: () => set({ notice: null }),
    setTab: (activeTab) => set({ activeTab }),
    setTheme: (theme) => set({ theme }),
  }));
}

export type AppStore = ReturnType<typeof createAppStore>;
export { useStore };

import type { Scenario } from '../core';
import { fragmentFor, type AppStore } from './store';

/**
 * Edits closer together than this share one history entry, so a slider drag, a number typed digit by digit or quick
 * hops between labs are one step back, not dozens.
 */
export const HISTORY_MERGE_MS = 1000;

/** Where playback is (the batch shown, the iteration reached): moving it is not an edit to step back through. */
function withoutPlayhead(scenario: Scenario): Scenario {
  return {
    ...scenario,
    routing: { ...scenario.routing, batch: 0 },
    checkpoint: { ...scenario.checkpoint, viewIteration: 0 },
  };
}

/**
 * Keeps the URL fragment in step with the scenario and the open lab (a parameter change or a tab, never an animation
 * frame, which lives outside the scenario), and reads back a fragment the user pastes or navigates to.
 *
 * Each edit or change of lab adds a history entry, so the browser's Back undoes it and Forward redoes it; edits within
 * HISTORY_MERGE_MS of the previous one join its entry. Playback (the batch or iteration shown moving on) and the
 * clean-up of an opened link replace the current entry instead.
 */
export function syncScenarioWithUrl(
  store: AppStore,
  win: Window = window,
  nowMs: () => number = () => win.performance.now(),
): () => void {
  let lastWritten = '';
  let lastEditMs = Number.NEGATIVE_INFINITY;
  let opening = false;
  const write = (addsEntry: boolean) => {
    const { scenario, activeTab } = store.getState();
    const fragment = fragmentFor(scenario, activeTab);
    if (fragment === lastWritten) return;
    lastWritten = fragment;
    const url = new URL(win.location.href);
    url.hash = fragment;
    if (addsEntry) win.history.pushState(null, '', url);
    else win.history.replaceState(win.history.state, '', url);
  };
  const onHashChange = () => {
    const fragment = win.location.hash.slice(1);
    if (fragment === lastWritten) return;
    // An in-page anchor (#main) is not a scenario: opening it would reset everything. Put the scenario back.
    if (fragment !== '' && !fragment.includes('=')) {
      const url = new URL(win.location.href);
      url.hash = lastWritten;
      win.history.replaceState(win.history.state, '', url);
      return;
    }
    opening = true;
    try {
      store.getState().openFragment(fragment);
    } finally {
      opening = false;
    }
    // What the user navigated to is its own entry: the next edit starts a new one.
    lastEditMs = Number.NEGATIVE_INFINITY;
  };
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.scenario === previous.scenario && state.activeTab === previous.activeTab) return;
    const playbackOnly =
      state.activeTab === previous.activeTab &&
      fragmentFor(withoutPlayhead(state.scenario), state.activeTab) ===
        fragmentFor(withoutPlayhead(previous.scenario), previous.activeTab);
    if (opening || playbackOnly) {
      write(false);
      return;
    }
    const now = nowMs();
    const merges = now - lastEditMs < HISTORY_MERGE_MS;
    lastEditMs = now;
    write(!merges);
  });
  win.addEventListener('hashchange', onHashChange);
  write(false);
  return () => {
    unsubscribe();
    win.removeEventListener('hashchange', onHashChange);
  };
}

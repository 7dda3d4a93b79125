import { encodeFragment } from '../core';
import type { AppStore } from './store';

/**
 * Keeps the URL fragment and the scenario in step: the scenario is written with history.replaceState whenever it
 * changes (a parameter change, never an animation frame, which lives outside the scenario), and a fragment the user
 * pastes or navigates to is read back in.
 */
export function syncScenarioWithUrl(store: AppStore, win: Window = window): () => void {
  let lastWritten = '';
  const write = () => {
    const fragment = encodeFragment(store.getState().scenario);
    if (fragment === lastWritten) return;
    lastWritten = fragment;
    const url = new URL(win.location.href);
    url.hash = fragment;
    win.history.replaceState(win.history.state, '', url);
  };
  const onHashChange = () => {
    const fragment = win.location.hash.slice(1);
    if (fragment === lastWritten) return;
    store.getState().openFragment(fragment);
  };
  let previous = store.getState().scenario;
  const unsubscribe = store.subscribe((state) => {
    if (state.scenario === previous) return;
    previous = state.scenario;
    write();
  });
  win.addEventListener('hashchange', onHashChange);
  write();
  return () => {
    unsubscribe();
    win.removeEventListener('hashchange', onHashChange);
  };
}

import { fragmentFor, type AppStore } from './store';

/**
 * Keeps the URL fragment in step with the scenario and the open lab: written with history.replaceState whenever
 * either changes (a parameter change or a tab, never an animation frame, which lives outside the scenario), and a
 * fragment the user pastes or navigates to is read back in.
 */
export function syncScenarioWithUrl(store: AppStore, win: Window = window): () => void {
  let lastWritten = '';
  const write = () => {
    const { scenario, activeTab } = store.getState();
    const fragment = fragmentFor(scenario, activeTab);
    if (fragment === lastWritten) return;
    lastWritten = fragment;
    const url = new URL(win.location.href);
    url.hash = fragment;
    win.history.replaceState(win.history.state, '', url);
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
    store.getState().openFragment(fragment);
  };
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.scenario === previous.scenario && state.activeTab === previous.activeTab) return;
    write();
  });
  win.addEventListener('hashchange', onHashChange);
  write();
  return () => {
    unsubscribe();
    win.removeEventListener('hashchange', onHashChange);
  };
}

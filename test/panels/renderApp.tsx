import { render } from '@testing-library/react';
import { App } from '../../src/app/App';
import { AppStoreContext } from '../../src/state/AppStoreContext';
import { createAppStore, linkNotice, openLink } from '../../src/state/store';

/** Renders the whole app on a fresh store opened at `fragment` (on the lab it names), as main.tsx does. */
export function renderApp(fragment = '') {
  const opened = openLink(fragment);
  const store = createAppStore({
    scenario: opened.scenario,
    tab: opened.tab,
    notice: linkNotice(fragment, opened.messages),
  });
  const view = render(
    <AppStoreContext.Provider value={store}>
      <App />
    </AppStoreContext.Provider>,
  );
  return { store, ...view };
}

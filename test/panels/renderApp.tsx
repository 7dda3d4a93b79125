import { render } from '@testing-library/react';
import { App } from '../../src/app/App';
import { decodeFragment } from '../../src/core';
import { AppStoreContext } from '../../src/state/AppStoreContext';
import { createAppStore, linkNotice } from '../../src/state/store';

/** Renders the whole app on a fresh store opened at `fragment`, as main.tsx does. */
export function renderApp(fragment = '') {
  const opened = decodeFragment(fragment);
  const store = createAppStore({
    scenario: opened.scenario,
    notice: linkNotice(fragment, opened.messages),
  });
  const view = render(
    <AppStoreContext.Provider value={store}>
      <App />
    </AppStoreContext.Provider>,
  );
  return { store, ...view };
}

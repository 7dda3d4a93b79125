import { StrictMode, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { AppStoreContext } from './state/AppStoreContext';
import { createAppStore, linkNotice, openLink } from './state/store';
import { initialTheme, rememberTheme } from './state/theme';
import { syncScenarioWithUrl } from './state/urlSync';
import './styles.css';

const opened = openLink(window.location.hash);
const store = createAppStore({
  scenario: opened.scenario,
  tab: opened.tab,
  theme: initialTheme(),
  notice: linkNotice(window.location.hash, opened.messages),
});
syncScenarioWithUrl(store);
store.subscribe((state, previous) => {
  if (state.theme !== previous.theme) rememberTheme(state.theme);
});

/** Marks the first render for the benchmark (npm run bench) and the end-to-end tests. */
function FirstRenderMark() {
  useEffect(() => {
    performance.mark('moe-lab:first-render');
    document.documentElement.dataset.ready = 'true';
  }, []);
  return null;
}

const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <AppStoreContext.Provider value={store}>
        <App />
        <FirstRenderMark />
      </AppStoreContext.Provider>
    </StrictMode>,
  );
}

import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useAppState } from '../state/AppStoreContext';
import { TABS } from './tabs';

/**
 * WAI-ARIA tabs: arrow keys, Home and End move between tabs; Tab moves into the panel. Selection follows focus,
 * and only the selected tab's panel is rendered.
 */
export function Tabs({ renderPanel }: { renderPanel: (id: (typeof TABS)[number]['id']) => ReactNode }) {
  const active = useAppState((state) => state.activeTab);
  const setTab = useAppState((state) => state.setTab);
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const focusTab = (index: number) => {
    const tab = TABS[(index + TABS.length) % TABS.length];
    if (!tab) return;
    setTab(tab.id);
    buttons.current.get(tab.id)?.focus();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = TABS.findIndex((tab) => tab.id === active);
    if (event.key === 'ArrowRight') focusTab(index + 1);
    else if (event.key === 'ArrowLeft') focusTab(index - 1);
    else if (event.key === 'Home') focusTab(0);
    else if (event.key === 'End') focusTab(TABS.length - 1);
    else return;
    event.preventDefault();
  };
  return (
    <div className="tabs">
      <div role="tablist" aria-label="Labs" className="tabs__list" onKeyDown={onKeyDown}>
        {TABS.map((tab) => (
          <button
            key={tab.id}
            ref={(element) => {
              if (element) buttons.current.set(tab.id, element);
            }}
            type="button"
            role="tab"
            id={`tab-${tab.id}`}
            aria-selected={tab.id === active}
            // Only the active panel is rendered (each lab runs its own simulation), so only the active tab controls
            // an element that exists; an aria-controls pointing at a missing id is an error, not a promise.
            aria-controls={tab.id === active ? `panel-${tab.id}` : undefined}
            tabIndex={tab.id === active ? 0 : -1}
            onClick={() => setTab(tab.id)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${active}`} aria-labelledby={`tab-${active}`} className="tabs__panel">
        {renderPanel(active)}
      </div>
    </div>
  );
}

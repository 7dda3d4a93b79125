import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { AppState, AppStore } from './store';

export const AppStoreContext = createContext<AppStore | null>(null);

/** Reads a slice of the app state; components pick atomic slices so they re-render only when those change. */
export function useAppState<T>(selector: (state: AppState) => T): T {
  return useStore(useAppStore(), selector);
}

/**
 * The store itself, for an event handler that reads the state when it runs (`getState()`) rather than subscribing:
 * subscribing to the whole scenario re-renders on every change, the batch stepping while playing included.
 */
export function useAppStore(): AppStore {
  const store = useContext(AppStoreContext);
  if (!store) throw new Error('useAppState needs an <AppStoreContext.Provider>');
  return store;
}

import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { AppState, AppStore } from './store';

export const AppStoreContext = createContext<AppStore | null>(null);

/** Reads a slice of the app state; components pick atomic slices so they re-render only when those change. */
export function useAppState<T>(selector: (state: AppState) => T): T {
  const store = useContext(AppStoreContext);
  if (!store) throw new Error('useAppState needs an <AppStoreContext.Provider>');
  return useStore(store, selector);
}

import type { Theme } from './store';

const STORAGE_KEY = 'moe-lab:theme';

/** The theme the user chose last time, else the system's preference. */
export function initialTheme(win: Window = window): Theme {
  try {
    const stored = win.localStorage.getItem(STORAGE_KEY);
    if (stored === 'light' || stored === 'dark') return stored;
  } catch {
    // Storage can be unavailable (privacy mode, sandboxed iframe); fall back to the system preference.
  }
  return win.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function rememberTheme(theme: Theme, win: Window = window): void {
  try {
    win.localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // Not remembering is harmless.
  }
}

import { useState } from 'react';
import { useAppState } from '../state/AppStoreContext';

/** Copies the current share link; where the clipboard is unavailable, shows the link to copy by hand. */
function CopyLinkButton() {
  const [status, setStatus] = useState<string>('');
  const copy = async () => {
    const link = window.location.href;
    try {
      await navigator.clipboard.writeText(link);
      setStatus('Link copied.');
    } catch {
      setStatus(`Copy this link: ${link}`);
    }
  };
  return (
    <div className="copy-link">
      <button type="button" onClick={() => void copy()}>
        Copy link
      </button>
      <span className="copy-link__status" role="status" aria-live="polite">
        {status}
      </span>
    </div>
  );
}

export function Header() {
  const theme = useAppState((state) => state.theme);
  const setTheme = useAppState((state) => state.setTheme);
  return (
    <header className="header">
      <div className="header__brand">
        <h1>MoE Lab</h1>
        <p className="header__tagline">
          Mixture-of-Experts systems, simulated from the papers. Every number shows its work.
        </p>
      </div>
      <div className="header__actions">
        <CopyLinkButton />
        <button
          type="button"
          aria-pressed={theme === 'dark'}
          onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
        >
          Dark theme
        </button>
      </div>
    </header>
  );
}

import { useState } from 'react';
import type { Scenario } from '../core';
import { useAppState } from '../state/AppStoreContext';
import type { CustomLoads } from '../state/store';

/**
 * What a copied link will not reproduce: a load matrix the user brought stays in the browser (the link only says
 * that one was used), so the recipient's routing falls back to the Zipf profile. Null when the link is complete.
 */
function linkCaveat(
  routing: Pick<Scenario['routing'], 'profile' | 'zipfExponent'>,
  customLoads: CustomLoads | null,
): string | null {
  if (routing.profile !== 'custom') return null;
  const fallback = `the Zipf profile (exponent ${routing.zipfExponent})`;
  if (!customLoads)
    return `It asks for your own load matrix, which no link carries: it opens on ${fallback}, as here.`;
  const rows = customLoads.matrix.length;
  const columns = customLoads.matrix[0]?.length ?? 0;
  return (
    `It does not hold your load matrix (${customLoads.name}, ${rows} × ${columns}): uploaded data stays in your ` +
    `browser, so whoever opens the link sees ${fallback} until they load the matrix themselves.`
  );
}

/** Copies the current share link; where the clipboard is unavailable, shows the link to copy by hand. */
function CopyLinkButton() {
  // The caveat's two routing settings, read alone: this button need not re-render as the batch steps while playing.
  const profile = useAppState((state) => state.scenario.routing.profile);
  const zipfExponent = useAppState((state) => state.scenario.routing.zipfExponent);
  const customLoads = useAppState((state) => state.customLoads);
  const caveat = linkCaveat({ profile, zipfExponent }, customLoads);
  // The status is for the link as copied: once the caveat would read differently (the matrix was dropped, or the
  // routing profile changed), it no longer describes what the clipboard holds, so it goes.
  const [copied, setCopied] = useState<{ text: string; caveat: string | null } | null>(null);
  const status = copied && copied.caveat === caveat ? copied.text : '';
  const copy = async () => {
    const link = window.location.href;
    try {
      await navigator.clipboard.writeText(link);
      setCopied({ text: caveat ? `Link copied. ${caveat}` : 'Link copied.', caveat });
    } catch {
      setCopied({ text: `Copy this link: ${link}${caveat ? ` ${caveat}` : ''}`, caveat });
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

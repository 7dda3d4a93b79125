import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Header } from '../../src/app/Header';
import { AppStoreContext } from '../../src/state/AppStoreContext';
import { createAppStore } from '../../src/state/store';

function renderHeader() {
  const store = createAppStore();
  render(
    <AppStoreContext.Provider value={store}>
      <Header />
    </AppStoreContext.Provider>,
  );
  return store;
}

describe('Copy link', () => {
  it('says only that the link was copied when the link reopens everything', async () => {
    // userEvent.setup() stands in for the clipboard.
    const user = userEvent.setup();
    renderHeader();
    await user.click(screen.getByRole('button', { name: 'Copy link' }));
    expect(screen.getByRole('status')).toHaveTextContent(/^Link copied\.$/);
    expect(await navigator.clipboard.readText()).toBe(window.location.href);
  });

  it('says the link leaves an uploaded load matrix behind, and what the recipient sees instead', async () => {
    const user = userEvent.setup();
    const store = renderHeader();
    act(() => store.getState().setCustomLoads({ matrix: [[1, 1, 1, 1, 1, 1, 1, 20]], name: 'pasted loads' }));
    await user.click(screen.getByRole('button', { name: 'Copy link' }));
    const status = screen.getByRole('status');
    expect(status).toHaveTextContent(
      `Link copied. It does not hold your load matrix (pasted loads, 1 × 8): uploaded data stays in your browser, so whoever opens the link sees the Zipf profile (exponent ${store.getState().scenario.routing.zipfExponent}) until they load the matrix themselves.`,
    );
    // Once the matrix is dropped the caveat no longer describes what was copied.
    act(() => store.getState().setField('routing.profile', 'uniform'));
    expect(status).toBeEmptyDOMElement();
  });
});

import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from './renderApp';

/** A matchMedia that reports a phone-sized viewport (jsdom has none, which reads as a wide screen). */
function narrowScreen() {
  vi.stubGlobal('matchMedia', (query: string) => ({
    matches: query.includes('max-width'),
    media: query,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  }));
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the scenario settings', () => {
  it('sit beside the labs on a wide screen', () => {
    renderApp('#v=1');
    expect(screen.getByRole('heading', { name: 'Scenario' })).toBeInTheDocument();
    expect(screen.getByLabelText('Model preset')).toBeVisible();
  });

  it('fold away on a narrow screen, so a link opens on its lab, and unfold on request', async () => {
    narrowScreen();
    const user = userEvent.setup();
    // A small routing sample: the test is about the layout, and DeepSeek-V3's full sample takes seconds in jsdom.
    renderApp('#v=1&model=deepseek-v3&lab=routing&routing.tokensPerDevice=64');
    expect(screen.getByRole('tab', { name: 'Routing' })).toHaveAttribute('aria-selected', 'true');
    const fold = screen.getByText('Scenario settings');
    expect(screen.getByText('DeepSeek-V3 · 8 × NVIDIA H100 SXM5 80 GB')).toBeInTheDocument();
    expect(screen.getByLabelText('Model preset')).not.toBeVisible();
    await user.click(fold);
    expect(screen.getByLabelText('Model preset')).toBeVisible();
    await user.selectOptions(screen.getByLabelText('Model preset'), 'olmoe-1b-7b');
    expect(screen.getByText('OLMoE-1B-7B · 8 × NVIDIA H100 SXM5 80 GB')).toBeInTheDocument();
  });
});

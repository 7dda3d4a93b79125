import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { PanelErrorBoundary } from '../../src/panels/common/PanelErrorBoundary';

function Fragile({ broken }: { broken: boolean }) {
  if (broken) throw new Error('expert loads went negative');
  return <p>Panel content</p>;
}

function Harness() {
  const [broken, setBroken] = useState(true);
  return (
    <>
      <button type="button" onClick={() => setBroken(false)}>
        Repair
      </button>
      <PanelErrorBoundary panel="Routing">
        <Fragile broken={broken} />
      </PanelErrorBoundary>
    </>
  );
}

describe('PanelErrorBoundary', () => {
  it('shows an error card instead of a blank page, and recovers on retry', async () => {
    const user = userEvent.setup();
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const consoleWarn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    render(<Harness />);
    expect(screen.getByRole('alert')).toHaveTextContent('The Routing panel hit a problem');
    expect(screen.getByRole('alert')).toHaveTextContent('expert loads went negative');
    await user.click(screen.getByRole('button', { name: 'Repair' }));
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(screen.getByText('Panel content')).toBeInTheDocument();
    consoleError.mockRestore();
    consoleWarn.mockRestore();
  });
});

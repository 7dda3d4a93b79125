import { act, fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderApp } from './renderApp';

describe('stepping a number field', () => {
  it('the arrow keys step EP to the next value that divides the experts, never through rejected ones', async () => {
    const user = userEvent.setup();
    const { store } = renderApp('#v=1&model=deepseek-v3&dp=64');
    const ep = screen.getByLabelText(/Expert parallel/);
    ep.focus();
    await user.keyboard('{ArrowUp}');
    expect(ep).toHaveValue(16);
    expect(store.getState().scenario.parallelism.ep).toBe(16);
    expect(store.getState().notice).toBeNull();
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(ep).toHaveValue(4);
    expect(store.getState().scenario.parallelism.ep).toBe(4);
    // DP steps by multiples of EP.
    screen.getByLabelText(/Data parallel/).focus();
    await user.keyboard('{ArrowUp}');
    expect(store.getState().scenario.parallelism.dp).toBe(68);
  });

  it('the spinner steps the same way, and at the last value that holds it stays put', () => {
    const { store } = renderApp('#v=1&model=deepseek-v3&dp=64');
    const ep = screen.getByLabelText(/Expert parallel/);
    // A spinner click is an input event that is not typing (no inputType), one step from the value shown.
    fireEvent.input(ep, { target: { value: '9' } });
    expect(ep).toHaveValue(16);
    expect(store.getState().scenario.parallelism.ep).toBe(16);
    fireEvent.input(ep, { target: { value: '15' } });
    expect(ep).toHaveValue(8);
    act(() => store.getState().setField('ep', 256));
    expect(ep).toHaveValue(256);
    fireEvent.input(ep, { target: { value: '257' } });
    expect(ep).toHaveValue(256);
    expect(store.getState().scenario.parallelism.ep).toBe(256);
  });

  it('typing still goes through the draft, so a typed 9 is explained, not skipped', async () => {
    const user = userEvent.setup();
    const { store } = renderApp('#v=1&model=deepseek-v3&dp=64');
    const ep = screen.getByLabelText(/Expert parallel/);
    await user.clear(ep);
    await user.type(ep, '9');
    fireEvent.blur(ep);
    expect(store.getState().scenario.parallelism.ep).toBe(8);
    expect(store.getState().notice?.messages[0]?.message).toMatch(/EP=9 does not divide the 256 experts/);
  });
});

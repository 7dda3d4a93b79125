import { act, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderApp } from './renderApp';

/** The settings block of one field (its label, input, help and notes). */
function fieldBlock(key: string): HTMLElement {
  const block = document.querySelector<HTMLElement>(`[data-field="${key}"]`);
  if (!block) throw new Error(`field ${key} not rendered`);
  return block;
}

function liveRegion(): HTMLElement {
  const region = document.querySelector<HTMLElement>('.notice-live');
  if (!region) throw new Error('no notice live region');
  return region;
}

describe('what an edit adjusted, under the field', () => {
  it('says under K_persist why it became 4, names it in the input’s description and announces it', async () => {
    const user = userEvent.setup();
    renderApp('#v=1&lab=checkpointing&checkpoint.totalIterations=2000&dp=16');
    // The live region is in the page before there is anything to announce, so what appears in it is announced.
    expect(liveRegion()).toHaveAttribute('aria-live', 'polite');
    expect(liveRegion()).toBeEmptyDOMElement();
    const persisted = screen.getByLabelText(/Experts persisted/);
    await user.clear(persisted);
    await user.type(persisted, '6{Enter}');
    expect(persisted).toHaveValue(4);
    const note = 'K_persist=6 cannot exceed the 4 experts snapshotted; persisting 4.';
    expect(within(fieldBlock('checkpoint.expertsPersisted')).getByText(note)).toBeVisible();
    expect(persisted).toHaveAccessibleDescription(expect.stringContaining(note));
    expect(liveRegion()).toHaveTextContent(note);
  });

  it('says under the Routing lab’s Layer shown that the model has fewer layers', async () => {
    const user = userEvent.setup();
    renderApp('#v=1&lab=routing&routing.tokensPerDevice=64');
    const layer = screen.getByLabelText(/Layer shown/);
    await user.clear(layer);
    await user.type(layer, '99{Enter}');
    expect(layer).toHaveValue(31);
    expect(
      within(fieldBlock('routing.layer')).getByText(
        'The model has 32 MoE layers; showing the last one (31).',
      ),
    ).toBeInTheDocument();
  });

  it('says under the edited field what else it changed, and under that field why', async () => {
    const user = userEvent.setup();
    renderApp();
    await user.selectOptions(screen.getByLabelText('Model preset'), 'qwen1.5-moe-a2.7b');
    const message = 'EP=8 does not divide the 60 experts evenly; using EP=4.';
    const preset = within(fieldBlock('model'));
    expect(preset.getByText('This change also adjusted:')).toBeInTheDocument();
    expect(preset.getByText(message)).toBeInTheDocument();
    expect(screen.getByLabelText('Model preset')).toHaveAccessibleDescription(
      expect.stringContaining(message),
    );
    expect(within(fieldBlock('ep')).getByText(message)).toBeInTheDocument();
    expect(within(fieldBlock('ep')).queryByText('This change also adjusted:')).not.toBeInTheDocument();
    // Fields the edit left alone say nothing.
    expect(fieldBlock('dp').querySelector('[data-field-notes]')).toBeNull();
  });

  it('says what a number typed digit by digit adjusted, as typing it at once would, and keeps it on Enter', async () => {
    const user = userEvent.setup();
    const { store } = renderApp('#v=1&model=qwen1.5-moe-a2.7b&ep=4&dp=8');
    await user.click(screen.getByText('Architecture'));
    const experts = screen.getByLabelText(/^Routed experts/);
    await user.clear(experts);
    await user.type(experts, '62{Enter}');
    expect(store.getState().scenario.parallelism.ep).toBe(2);
    const message = 'EP=4 does not divide the 62 experts evenly; using EP=2.';
    expect(within(fieldBlock('model.experts')).getByText(message)).toBeInTheDocument();
    expect(within(fieldBlock('ep')).getByText(message)).toBeInTheDocument();
    expect(document.querySelector('.notice')).toHaveTextContent(message);
  });

  it('goes once a later edit needs no adjustment, or the notice is dismissed', async () => {
    const user = userEvent.setup();
    const { store } = renderApp();
    const topK = screen.getByLabelText(/Top-k/);
    await user.clear(topK);
    await user.type(topK, '12');
    fireEvent.blur(topK);
    expect(within(fieldBlock('model.topK')).getByText(/using top-8/)).toBeInTheDocument();
    expect(topK).toHaveAccessibleDescription(expect.stringContaining('using top-8'));
    act(() => store.getState().setField('seed', 7));
    expect(fieldBlock('model.topK').querySelector('[data-field-notes]')).toBeNull();
    expect(topK).not.toHaveAccessibleDescription(expect.stringContaining('using top-8'));
    await user.clear(topK);
    await user.type(topK, '12');
    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(fieldBlock('model.topK').querySelector('[data-field-notes]')).toBeNull();
  });

  it('leaves a link’s fixes to the banner the page opens on', () => {
    renderApp('#v=1&model=olmoe-1b-7b&ep=7');
    expect(document.querySelector('.notice')).toHaveTextContent('EP=7 does not divide the 64 experts');
    expect(document.querySelector('[data-field-notes]')).toBeNull();
  });
});

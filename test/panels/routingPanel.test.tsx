import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderApp } from './renderApp';

function metricValue(id: string): number {
  const element = document.querySelector(`[data-metric="${id}"] [data-value]`);
  if (!element) throw new Error(`metric ${id} not rendered`);
  return Number(element.getAttribute('data-value'));
}

async function openRouting(fragment = '') {
  const user = userEvent.setup();
  const view = renderApp(fragment);
  await user.click(screen.getByRole('tab', { name: 'Routing' }));
  await waitFor(() =>
    expect(document.querySelector('[data-metric="routing.droppedFraction"]')).not.toBeNull(),
  );
  return { user, ...view };
}

describe('Routing panel', () => {
  it('routes the scenario and shows show-your-work routing metrics', async () => {
    await openRouting('#v=1&routing.tokensPerDevice=128');
    expect(screen.getByRole('heading', { name: 'Routing' })).toBeInTheDocument();
    expect(metricValue('routing.meanLoad')).toBe((8 * 128 * 2) / 8);
    expect(metricValue('routing.auxLoss')).toBeGreaterThanOrEqual(1);
    expect(screen.getByText(/Each dot|each standing for about/)).toBeInTheDocument();
  });

  it('summarises the whole batch over every MoE layer beside the layer shown', async () => {
    await openRouting('#v=1&routing.tokensPerDevice=128');
    const batch = screen.getByRole('region', { name: 'Whole batch 0: all 32 MoE layers' });
    const dropped = within(batch).getByRole('button', { name: /Dropped tokens DT, all 32 layers/ });
    const value = Number(dropped.querySelector('[data-value]')?.getAttribute('data-value'));
    expect(value).toBeGreaterThan(0);
    expect(value).toBeLessThan(1);
    expect(
      within(batch).getByRole('button', { name: /Peak expert load \/ mean, mean of 32 layers/ }),
    ).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'MoE layer 0, batch 0' })).toBeInTheDocument();
  });

  it('drops nothing when capacity is off, and explains each control with its source', async () => {
    const { user } = await openRouting('#v=1&routing.tokensPerDevice=128');
    const sources = Array.from(document.querySelectorAll('.field__source'), (element) => element.textContent);
    expect(sources.some((text) => /^Source: Capacity-Aware Inference.*Eq\. 6/.test(text ?? ''))).toBe(true);
    // Each source links to where the paper can be read.
    const links = screen.getAllByRole('link', { name: 'Capacity-Aware Inference' });
    expect(links.length).toBeGreaterThan(0);
    expect(links[0]).toHaveAttribute('href', 'https://arxiv.org/abs/2503.05066');
    await user.selectOptions(screen.getByLabelText('Capacity limit'), 'off');
    await waitFor(() => expect(metricValue('routing.droppedFraction')).toBe(0));
    expect(screen.queryByLabelText('Drop policy')).not.toBeInTheDocument();
  });

  it('routes a decode step dropless with its own tokens, and says why the capacity controls are gone', async () => {
    await openRouting('#v=1&mode=decode&batch=64');
    expect(screen.getByTestId('decode-capacity-note')).toHaveTextContent(/no capacity limit/);
    expect(screen.queryByLabelText('Capacity limit')).not.toBeInTheDocument();
    expect(screen.queryByLabelText(/Capacity factor/)).not.toBeInTheDocument();
    expect(metricValue('routing.droppedFraction')).toBe(0);
    expect(metricValue('routing.meanLoad')).toBe((8 * 8 * 2) / 8); // 8 devices × ⌈64/8⌉ tokens × top-2 / 8 experts
    expect(screen.getByText(/routes the step’s own 8 tokens/)).toBeInTheDocument();
  });

  it('groups the bars by device under a device-level limit, and only then', async () => {
    await openRouting('#v=1&model=olmoe-1b-7b&routing.tokensPerDevice=64&routing.capacity=device');
    const bars = screen.getByRole('img', { name: /^Tokens per expert/ });
    expect(bars.getAttribute('aria-label')).toMatch(/grouped by device, 8 experts each/);
    expect(screen.getByText(/a device’s mean load per expert/)).toBeInTheDocument();
  });

  it('does not group the bars of a decode step, which is routed without the device-level limit', async () => {
    await openRouting('#v=1&model=olmoe-1b-7b&mode=decode&batch=64&routing.capacity=device');
    const bars = screen.getByRole('img', { name: /^Tokens per expert/ });
    expect(bars.getAttribute('aria-label')).not.toMatch(/grouped by device/);
  });

  it('does not group the bars under a per-expert limit', async () => {
    await openRouting('#v=1&model=olmoe-1b-7b&routing.tokensPerDevice=64');
    const bars = screen.getByRole('img', { name: /^Tokens per expert/ });
    expect(bars.getAttribute('aria-label')).not.toMatch(/grouped by device/);
    expect(screen.queryByText(/a device’s mean load per expert/)).not.toBeInTheDocument();
  });

  it('says "not estimated" where the papers give no accuracy calibration, rather than "0 points"', async () => {
    await openRouting('#v=1&routing.tokensPerDevice=64&routing.gating=hash');
    const value = document.querySelector('[data-metric="routing.qualityCost"] .metric__value');
    expect(value).toHaveTextContent(/^not estimated$/);
    // And that its hash routing hashes positions, unlike a real hash layer, which hashes token ids.
    expect(screen.getByTestId('hash-routing-note')).toHaveTextContent(/hashes the token’s id/);
  });

  it('keeps keyboard focus on a working button when First batch disables itself', async () => {
    const { user } = await openRouting('#v=1&routing.tokensPerDevice=64&routing.batch=3');
    screen.getByRole('button', { name: 'First batch' }).focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.getByRole('button', { name: 'First batch' })).toBeDisabled());
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Step' }));
  });

  it('hides the drop policy under Expanded Drop, which always keeps each expert’s top-C by score', async () => {
    const { user } = await openRouting('#v=1&routing.tokensPerDevice=128');
    expect(screen.getByLabelText('Drop policy')).toBeInTheDocument();
    await user.click(screen.getByLabelText('Expanded Drop'));
    await waitFor(() => expect(screen.queryByLabelText('Drop policy')).not.toBeInTheDocument());
    expect(screen.getByText(/so the drop policy does not apply/)).toBeInTheDocument();
  });

  it('names Expanded Drop’s added pairs in the bars’ legend only when Expanded Drop is on', async () => {
    const { user } = await openRouting('#v=1&routing.tokensPerDevice=128');
    expect(screen.queryByText('Added by Expanded Drop')).not.toBeInTheDocument();
    await user.click(screen.getByLabelText('Expanded Drop'));
    await waitFor(() => expect(screen.getByText('Added by Expanded Drop')).toBeInTheDocument());
  });

  it('shows the model’s own router with its source, and one click selects it', async () => {
    const { user, store } = await openRouting('#v=1&model=deepseek-v3&routing.tokensPerDevice=64');
    const gating = screen.getByRole('group', { name: 'Gating' });
    expect(within(gating).getByText(/DeepSeek-V3’s own router:/)).toBeInTheDocument();
    expect(
      within(gating).getByRole('link', { name: /deepseek-ai\/DeepSeek-V3 config\.json/ }),
    ).toHaveAttribute('href', 'https://huggingface.co/deepseek-ai/DeepSeek-V3/blob/main/config.json');
    await user.click(within(gating).getByRole('button', { name: 'Use DeepSeek-V3’s router' }));
    const routing = store.getState().scenario.routing;
    expect([routing.gating, routing.groups, routing.topkGroups]).toEqual(['group-limited', 8, 4]);
    expect(within(gating).getByText(/Gating as DeepSeek-V3 does:/)).toBeInTheDocument();
    // V3 drops nothing itself: with the lab's limit on, the hint says the limit is the remedy on top, not V3's.
    expect(within(gating).getByText(/DeepSeek-V3 drops no token in training or inference/)).toHaveTextContent(
      /Capacity-Aware Inference’s remedy, applied on top/,
    );
    // The used button is gone; focus stays on the hint that now says so, not lost to the page.
    expect(document.activeElement).toHaveClass('native-router');
    expect(within(gating).queryByRole('button', { name: /router/ })).not.toBeInTheDocument();
    expect(screen.getByLabelText('Gating')).toHaveValue('group-limited');
  });

  it('choosing a group-limited gating on one group takes the model’s own groups, and says so under the gating', async () => {
    const { user, store } = await openRouting('#v=1&model=deepseek-v3&routing.tokensPerDevice=64');
    await user.selectOptions(screen.getByLabelText('Gating'), 'group-limited');
    const routing = store.getState().scenario.routing;
    expect([routing.gating, routing.groups, routing.topkGroups]).toEqual(['group-limited', 8, 4]);
    const gatingField = document.querySelector('[data-field="routing.gating"]') as HTMLElement;
    expect(
      within(gatingField).getByText(/took DeepSeek-V3’s own n_group 8 \(32 experts each\)/),
    ).toBeVisible();
    expect(screen.getByTestId('group-limit-note')).toHaveTextContent(
      /each token keeps its best 4 of 8 groups \(32 experts each\)/,
    );
  });

  it('says one group limits nothing, where a link asks for group-limited gating on one group', async () => {
    await openRouting('#v=1&model=deepseek-v3&routing.tokensPerDevice=64&routing.gating=group-limited');
    expect(screen.getByTestId('group-limit-note')).toHaveTextContent(/^1 group: no limit\./);
  });

  it('names the shared experts, which every token reaches and the bars do not draw, with a source', async () => {
    await openRouting('#v=1&model=deepseek-v2-lite&routing.tokensPerDevice=64');
    const note = screen.getByTestId('shared-experts-note');
    expect(note).toHaveTextContent(
      /DeepSeek-V2-Lite also has 2 shared experts: every token goes to them .* cannot overflow and drop nothing/,
    );
    expect(within(note).getByRole('link', { name: 'ScMoE' })).toHaveAttribute(
      'href',
      'https://arxiv.org/abs/2404.05019',
    );
  });

  it('has no shared-expert note for a model without shared experts', async () => {
    await openRouting('#v=1&routing.tokensPerDevice=64');
    expect(screen.queryByTestId('shared-experts-note')).not.toBeInTheDocument();
  });

  it('links to its own paper checks on Learn, which then have focus', async () => {
    const { user, store } = await openRouting('#v=1&routing.tokensPerDevice=64');
    await user.click(screen.getByRole('button', { name: /the Routing checks on Learn/ }));
    expect(store.getState().activeTab).toBe('learn');
    const heading = screen.getByRole('heading', { name: /^Capacity-Aware Inference: the capacity limit/ });
    expect(heading.closest('section')).toHaveAttribute('data-checks-lab', 'routing');
    expect(document.activeElement).toBe(heading);
  });

  it.each([
    // DBRX renormalises, as the lab's default gating does, so it already routes as DBRX does.
    ['dbrx', /Gating as DBRX does: softmax, top-4 divided by their sum/],
    ['deepseek-v2-lite', /DeepSeek-V2-Lite’s own router: softmax, top-6 kept with their probabilities/],
  ])('gives %s’s router from its config', async (model, summary) => {
    await openRouting(`#v=1&model=${model}&routing.tokensPerDevice=64`);
    expect(screen.getByText(summary)).toBeInTheDocument();
  });

  it('steps to the next batch through the scenario, so the link carries it', async () => {
    const { user, store } = await openRouting('#v=1&routing.tokensPerDevice=64');
    await user.click(screen.getByRole('button', { name: 'Step' }));
    expect(store.getState().scenario.routing.batch).toBe(1);
    await waitFor(() =>
      expect(screen.getByRole('heading', { name: 'MoE layer 0, batch 1' })).toBeInTheDocument(),
    );
    await user.click(screen.getByRole('button', { name: 'First batch' }));
    expect(store.getState().scenario.routing.batch).toBe(0);
  });

  it('warns when a link asks for an uploaded matrix that is not loaded', async () => {
    await openRouting('#v=1&routing.profile=custom&routing.tokensPerDevice=64');
    expect(screen.getByText(/uses your own load matrix, which is not loaded here/)).toBeInTheDocument();
  });

  it('says how the measured OLMoE profile is mapped onto a model with another expert count', async () => {
    await openRouting('#v=1&routing.profile=olmoe&routing.tokensPerDevice=64');
    const note = screen.getByTestId('measured-profile-note');
    expect(note).toHaveTextContent('Mixtral 8×7B has 8 routed experts, not OLMoE’s 64.');
    expect(note).toHaveTextContent(/combined load of 8 of OLMoE’s, busiest with busiest/);
    expect(note).toHaveTextContent(/set to 2\.79× the mean load \(OLMoE’s own: 5\.63×\)/);
    // The control's help says it too, and the peak/mean working gives the mapped profile's own peak.
    expect(screen.getByText(/other expert counts read its cumulative-share curve/)).toBeInTheDocument();
    expect(metricValue('routing.maxOverMean')).toBeLessThan(3.5); // the top-2 ceiling n/k is 4
  });

  it('says nothing of a mapping on OLMoE’s own 64 experts, or for another profile', async () => {
    await openRouting('#v=1&model=olmoe-1b-7b&routing.profile=olmoe&routing.tokensPerDevice=32');
    expect(screen.queryByTestId('measured-profile-note')).not.toBeInTheDocument();
  });

  it('says the bars sum each expert’s replicas when DP > EP, and gives the per-GPU load', async () => {
    await openRouting('#v=1&dp=16&routing.tokensPerDevice=64');
    const note = screen.getByTestId('replica-note'); // C = ⌈1.25 · 2 · 64 / 8⌉ = 20
    expect(note).toHaveTextContent(/DP 16 is more than EP 8: its 16 devices form 2 EP groups of 8 GPUs/);
    expect(note).toHaveTextContent(
      /each bar is the sum of an expert’s 2 replicas, about 2× what any one GPU/,
    );
    expect(note).toHaveTextContent(
      /the busiest receives [\d,]+ pairs before the cap, against its 8 × C = 160 pairs/,
    );
    expect(note).toHaveTextContent(/the mean GPU’s 128 pairs/); // 8 devices × 64 tokens × top-2 / 8 GPUs
    const bars = screen.getByRole('img', { name: /^Tokens per expert/ });
    expect(bars.getAttribute('aria-label')).toMatch(/all 16 devices, summed over each expert’s 2 replicas/);
    expect(screen.getByRole('img', { name: /^Token flow/ }).getAttribute('aria-label')).toMatch(
      /each expert’s 2 replicas merged/,
    );
  });

  it('has no replica note with one EP group', async () => {
    await openRouting('#v=1&routing.tokensPerDevice=64');
    expect(screen.queryByTestId('replica-note')).not.toBeInTheDocument();
    expect(screen.queryByTestId('measured-profile-note')).not.toBeInTheDocument();
  });
});

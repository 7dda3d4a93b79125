import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderApp } from './renderApp';

function metricValue(id: string): string {
  const element = document.querySelector(`[data-metric="${id}"] .metric__value`);
  if (!element) throw new Error(`metric ${id} not rendered`);
  return element.textContent ?? '';
}

/** The notice banner: an edit's messages also show under the fields they concern, so look for them here. */
function banner() {
  const notice = document.querySelector<HTMLElement>('.notice');
  if (!notice) throw new Error('no notice shown');
  return within(notice);
}

describe('App shell', () => {
  it('opens on the scenario summary with the default model’s figures', () => {
    renderApp();
    expect(screen.getByRole('heading', { name: 'Scenario summary' })).toBeInTheDocument();
    expect(metricValue('totalParams')).toBe('46.7B');
    expect(metricValue('activeParams')).toBe('12.9B');
    expect(screen.getByRole('tab', { name: 'Summary' })).toHaveAttribute('aria-selected', 'true');
  });

  it('opens a checkpointing check in the Checkpointing lab, with focus on the labs', async () => {
    const user = userEvent.setup();
    const { store } = renderApp('#v=1&lab=learn');
    const row = document.querySelector(
      '[data-check="checkpoint.moc-async.case1.saveReduction"]',
    ) as HTMLElement;
    await user.click(within(row).getByRole('button', { name: /Open/ }));
    expect(store.getState().scenario.model.preset).toBe('gpt-350m-16e');
    expect(screen.getByRole('tab', { name: 'Checkpointing' })).toHaveAttribute('aria-selected', 'true');
    expect(document.activeElement).toBe(document.getElementById('main'));
    // The check's own figure (MoC-Async against the baseline, not one of the lab's) stays in sight, with its working.
    const banner = screen.getByRole('region', { name: 'Paper check opened from Learn' });
    expect(banner).toHaveTextContent(/MoC-Async cuts the overhead of each checkpoint/);
    expect(banner.querySelector('[data-metric="check.checkpoint.saveReduction"]')).not.toBeNull();
    act(() => store.getState().setField('checkpoint.viewIteration', 1234));
    expect(banner).toHaveTextContent(/You have changed the scenario since/);
    await user.click(within(banner).getByRole('button', { name: 'Back to the paper checks' }));
    expect(screen.getByRole('tab', { name: 'Learn' })).toHaveAttribute('aria-selected', 'true');
    expect(screen.queryByRole('region', { name: 'Paper check opened from Learn' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('tab', { name: 'Checkpointing' }));
    await user.click(
      within(screen.getByRole('region', { name: 'Paper check opened from Learn' })).getByRole('button', {
        name: 'Close',
      }),
    );
    expect(screen.queryByRole('region', { name: 'Paper check opened from Learn' })).not.toBeInTheDocument();
  });

  it('changes every figure when another model preset is picked', async () => {
    const user = userEvent.setup();
    renderApp();
    await user.selectOptions(screen.getByLabelText('Model preset'), 'deepseek-v3');
    expect(metricValue('totalParams')).toBe('671B');
    expect(metricValue('expertsPerGpu')).toBe('32 experts');
  });

  it('reveals the working of a metric when it is pressed, and hides it again', async () => {
    const user = userEvent.setup();
    renderApp();
    const button = within(
      document.querySelector('[data-metric="meanTokensPerExpert"]') as HTMLElement,
    ).getByRole('button');
    expect(button).toHaveAttribute('aria-expanded', 'false');
    await user.click(button);
    expect(button).toHaveAttribute('aria-expanded', 'true');
    const working = document.getElementById(button.getAttribute('aria-controls') ?? '');
    expect(working).toBeVisible();
    expect(working).toHaveTextContent('N̄ = t · k / n');
    expect(working).toHaveTextContent('Capacity-Aware Inference, Eq. 3');
    await user.click(button);
    expect(working).not.toBeVisible();
  });

  it('applies a valid number as it is typed and updates the metrics', async () => {
    const user = userEvent.setup();
    const { store } = renderApp();
    const batch = screen.getByLabelText(/Batch size/);
    await user.clear(batch);
    await user.type(batch, '64');
    expect(store.getState().scenario.workload.batchSize).toBe(64);
    expect(metricValue('tokensPerStep')).toBe('262K tokens');
  });

  it('lets a number pass through out-of-range drafts while typing, and explains them inline', async () => {
    const user = userEvent.setup();
    const { store } = renderApp();
    const hidden = screen.getByLabelText(/Hidden size/);
    await user.clear(hidden);
    await user.type(hidden, '10');
    expect(screen.getByText(/Allowed 16–65536, whole numbers/)).toBeInTheDocument();
    expect(hidden).toHaveAttribute('aria-invalid', 'true');
    expect(store.getState().scenario.model.overrides.hiddenSize).toBeUndefined();
    await user.type(hidden, '24');
    expect(store.getState().scenario.model.overrides.hiddenSize).toBe(1024);
    expect(screen.queryByText(/This link needed|Adjusted to keep/)).not.toBeInTheDocument();
  });

  it('clamps an out-of-range number with a notice when the field is left', async () => {
    const user = userEvent.setup();
    const { store } = renderApp();
    const hidden = screen.getByLabelText(/Hidden size/);
    await user.clear(hidden);
    await user.type(hidden, '8');
    fireEvent.blur(hidden);
    expect(store.getState().scenario.model.overrides.hiddenSize).toBe(16);
    expect(banner().getByText(/8 is below the minimum; set to 16/)).toBeInTheDocument();
  });

  it('fixes top-k above the expert count with a visible explanation', async () => {
    const user = userEvent.setup();
    const { store } = renderApp();
    const topK = screen.getByLabelText(/Top-k/);
    await user.clear(topK);
    await user.type(topK, '12');
    expect(store.getState().scenario.model.overrides.topK).toBe(8);
    expect(banner().getByText(/Top-k 12 is more than the 8 routed experts; using top-8/)).toBeInTheDocument();
  });

  it('fixes an impossible EP with a visible explanation', async () => {
    const user = userEvent.setup();
    const { store } = renderApp();
    const ep = screen.getByLabelText(/Expert parallel/);
    await user.clear(ep);
    await user.type(ep, '3');
    fireEvent.blur(ep);
    expect(store.getState().scenario.parallelism.ep).toBe(2);
    expect(banner().getByText(/EP=3 does not divide the 8 experts evenly; using EP=2/)).toBeInTheDocument();
  });

  it('gives an EP back when a model it divides is chosen again, and says so', async () => {
    const user = userEvent.setup();
    const { store } = renderApp();
    const preset = screen.getByLabelText('Model preset');
    await user.selectOptions(preset, 'qwen1.5-moe-a2.7b');
    expect(screen.getByLabelText(/Expert parallel/)).toHaveValue(4);
    expect(banner().getByText(/EP=8 does not divide the 60 experts evenly; using EP=4/)).toBeInTheDocument();
    await user.selectOptions(preset, 'mixtral-8x7b');
    expect(screen.getByLabelText(/Expert parallel/)).toHaveValue(8);
    expect(store.getState().scenario.parallelism).toMatchObject({ ep: 8, dp: 8 });
    expect(
      banner().getByText(/Expert parallel \(EP\) is back to 8, the value you chose/),
    ).toBeInTheDocument();
  });

  it('typing 64 routed experts digit by digit ends where typing it at once does: a half-typed 6 leaves no trace', async () => {
    const user = userEvent.setup();
    const { store } = renderApp();
    await user.click(screen.getByText('Architecture'));
    const experts = screen.getByLabelText(/^Routed experts/);
    await user.clear(experts);
    await user.type(experts, '64');
    fireEvent.blur(experts);
    expect(store.getState().scenario.parallelism).toMatchObject({ ep: 8, dp: 8 });
    expect(store.getState().requested).toEqual({});
  });

  it('drops what was being typed into a field when Back (or a link) opens another scenario', async () => {
    const user = userEvent.setup();
    const { store } = renderApp();
    const batch = screen.getByLabelText(/Batch size/);
    await user.clear(batch);
    await user.type(batch, '8192');
    expect(batch).toHaveFocus();
    act(() => store.getState().openFragment('v=1&batch=64'));
    expect(batch).toHaveValue(64);
    expect(batch).toHaveFocus();
  });

  it('marks a changed architecture field and resets it to the preset', async () => {
    const user = userEvent.setup();
    const { store } = renderApp();
    const layers = screen.getByLabelText(/^Layers/);
    await user.clear(layers);
    await user.type(layers, '16');
    expect(store.getState().scenario.model.overrides.layers).toBe(16);
    await user.click(screen.getByRole('button', { name: /Reset Layers/ }));
    expect(store.getState().scenario.model.overrides.layers).toBeUndefined();
  });

  it('shows a dismissible notice for a link that needed fixes, and keeps the valid parts', async () => {
    const user = userEvent.setup();
    const { store } = renderApp('#v=1&model=olmoe-1b-7b&ep=7&nonsense=1');
    const notice = screen.getByText(/This link needed some fixes/).closest('.notice') as HTMLElement;
    expect(notice).toHaveTextContent('"nonsense" is not a setting');
    expect(notice).toHaveTextContent('EP=7 does not divide the 64 experts');
    expect(notice).toHaveTextContent('The link as you opened it: #v=1&model=olmoe-1b-7b&ep=7&nonsense=1');
    expect(store.getState().scenario.model.preset).toBe('olmoe-1b-7b');
    await user.click(within(notice).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText(/This link needed some fixes/)).not.toBeInTheDocument();
  });

  it('moves between tabs with the arrow keys and says what an unbuilt lab will show', async () => {
    const user = userEvent.setup();
    renderApp();
    screen.getByRole('tab', { name: 'Summary' }).focus();
    await user.keyboard('{ArrowRight}');
    const routing = screen.getByRole('tab', { name: 'Routing' });
    expect(routing).toHaveAttribute('aria-selected', 'true');
    expect(routing).toHaveFocus();
    expect(screen.getByRole('heading', { name: 'Routing' })).toBeInTheDocument();
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'Stragglers' })).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByRole('tabpanel')).toHaveTextContent(/the slowest rank that the layer waits for/);
    await user.keyboard('{End}');
    expect(screen.getByRole('tab', { name: 'Learn' })).toHaveAttribute('aria-selected', 'true');
  });

  it('points a tab’s aria-controls only at a panel that is rendered: the selected tab’s', async () => {
    const user = userEvent.setup();
    renderApp();
    for (const name of ['Summary', 'Routing', 'Learn']) {
      await user.click(screen.getByRole('tab', { name }));
      const tabs = screen.getAllByRole('tab');
      expect(tabs.length).toBeGreaterThan(1);
      for (const tab of tabs) {
        const controls = tab.getAttribute('aria-controls');
        if (tab.getAttribute('aria-selected') === 'true') {
          expect(controls).not.toBeNull();
          expect(document.getElementById(controls ?? '')).toBe(screen.getByRole('tabpanel'));
          expect(screen.getByRole('tabpanel')).toHaveAccessibleName(name);
        } else {
          expect(controls === null || document.getElementById(controls) !== null).toBe(true);
        }
      }
    }
  });

  it('lists the paper checks and opens a check’s scenario', async () => {
    const user = userEvent.setup();
    const { store } = renderApp();
    await user.click(screen.getByRole('tab', { name: 'Learn' }));
    const row = document.querySelector('[data-check="size.deepseek-v3.total"]') as HTMLElement;
    expect(row).toHaveTextContent('671B');
    await user.click(within(row).getByRole('button', { name: /Open/ }));
    expect(store.getState().scenario.model.preset).toBe('deepseek-v3');
    expect(screen.getByRole('tab', { name: 'Summary' })).toHaveAttribute('aria-selected', 'true');
  });

  it('groups the paper checks by setup and says each setup once', async () => {
    const user = userEvent.setup();
    renderApp();
    await user.click(screen.getByRole('tab', { name: 'Learn' }));
    const group = screen.getByRole('region', { name: /MoC-System: MoC-Async against the blocking baseline/ });
    expect(group.textContent?.match(/Setup:/g)).toHaveLength(1);
    // Ticks count only the claims met as printed; "within tolerance" also counts the close ones, as it always did.
    expect(group).toHaveTextContent('2 of 9 meet the claim; 6 of 9 within tolerance.');
    expect(group.querySelectorAll('[data-check]')).toHaveLength(9);
    // The setup is said once for the group, not repeated in each row's gap explanation.
    for (const row of group.querySelectorAll('[data-check]'))
      expect(row.textContent).not.toMatch(/DeepSpeed-MoE GPT-350M recipe/);
    // The paper's figure as printed (a range, not a midpoint the paper never printed), and a verdict in words.
    const row = (id: string) =>
      group.querySelector(`[data-check="checkpoint.moc-async.${id}"]`) as HTMLElement;
    const cells = (id: string) => [...row(id).querySelectorAll('td')].map((cell) => cell.textContent);
    expect(cells('case1.iterationSpeedup')[2]).toBe('3.25–5.12×');
    expect(cells('case1.iterationSpeedup')[4]).toBe('✓ Meets the claiminside the printed range');
    // 5.69× is outside 3.25–5.12×: no tick, however close.
    expect(cells('case3.iterationSpeedup')[4]).toMatch(
      /^≈ Close, misses the claim\+11\.1% above the range's top \(5\.12×\), within the ±15% tolerance$/,
    );
    // 100% and 0% have one cause, and neither meets the printed range.
    expect(cells('case1.saveReduction')[2]).toBe('98.2–98.9%');
    expect(cells('case1.saveReduction')[4]).toMatch(/^≈ Close, misses the claim/);
    expect(cells('case1.residualOverhead')[2]).toBe('1.1–1.8%');
    expect(cells('case1.residualOverhead')[4]).toMatch(/^✗ Misses the claim.*outside the ±60% tolerance$/);
    expect(group.textContent).not.toMatch(/4\.18|98\.6%|1\.45%|midpoint/);
  });

  it('shows Fig. 11’s stall thresholds as bounds on T_snapshot / T_F&B, each miss with its gap', async () => {
    renderApp('#v=1&lab=learn');
    const group = screen.getByRole('region', { name: /MoC-System: when the snapshot stalls training/ });
    expect(group).toHaveTextContent('2 of 4 meet the claim; 2 of 4 within tolerance.');
    const cells = (id: string) =>
      [
        ...(group.querySelector(`[data-check="checkpoint.fig11.${id}"]`) as HTMLElement).querySelectorAll(
          'td',
        ),
      ].map((cell) => cell.textContent);
    expect(cells('case1.baselineStalls')[2]).toBe('more than 1×');
    expect(cells('case1.baselineStalls')[4]).toBe('✓ Meets the claimabove the bound');
    expect(cells('case1.shardedHides')[2]).toBe('at most 1×');
    expect(cells('case1.shardedHides')[4]).toMatch(/^✗ Misses the claim\+46\.3% over the bound \(1×\)/);
    expect(cells('case1.shardedHides').join(' ')).toMatch(
      /Gap: With DP = EP = 8 each expert has a single replica/,
    );
    // 2.7% short of a stall is still no stall: a tolerance of 0, so no "close".
    expect(cells('case3.k4Stalls')[4]).toMatch(/^✗ Misses the claim−2\.7% short of the bound \(1×\)/);
    expect(cells('case3.k3Hides')[4]).toBe('✓ Meets the claimat or below the bound');
  });

  it('shows Case3’s iteration saving over Case2 against the printed 0.5 s and opens Case2', async () => {
    const user = userEvent.setup();
    const { store } = renderApp('#v=1&lab=learn');
    const group = screen.getByRole('region', { name: /MoC-System: iteration time with EP inside a node/ });
    expect(group).toHaveTextContent('0 of 1 meet the claim; 0 of 1 within tolerance.');
    const row = group.querySelector(
      '[data-check="checkpoint.case3-vs-case2.iterationSaving"]',
    ) as HTMLElement;
    const cells = [...row.querySelectorAll('td')].map((cell) => cell.textContent);
    expect(cells[2]).toBe('0.5 s');
    expect(cells[3]).toBe('0.143 s');
    expect(cells[4]).toBe('✗ Misses the claim−71.3% from the printed 0.5 s, outside the ±15% tolerance');
    expect(cells[0]).toMatch(/Gap: Both Cases run the same 256 × 2,048 batch on 16 GPUs/);
    await user.click(within(row).getByRole('button', { name: /Open/ }));
    expect(store.getState().scenario.parallelism).toMatchObject({ dp: 16, ep: 16 });
    expect(screen.getByRole('tab', { name: 'Checkpointing' })).toHaveAttribute('aria-selected', 'true');
    const banner = screen.getByRole('region', { name: 'Paper check opened from Learn' });
    expect(banner.querySelector('[data-metric="check.checkpoint.case3IterationSaving"]')).not.toBeNull();
  });

  it('words the Capacity-Aware rows for what they are: a bound, an identity and "more than 7×"', async () => {
    renderApp('#v=1&lab=learn');
    const group = screen.getByRole('region', { name: /Capacity-Aware Inference/ });
    const cells = (id: string) =>
      [...(group.querySelector(`[data-check="routing.${id}"]`) as HTMLElement).querySelectorAll('td')].map(
        (cell) => cell.textContent,
      );
    // An identity is no figure the paper reports: no "Paper reports 0%", and the model's figure is a deviation.
    expect(cells('dt-equation')[2]).toBe('Identity: must hold exactly');
    expect(cells('dt-equation')[3]).toBe('largest deviation 0%');
    expect(cells('dt-equation')[4]).toBe('✓ Meets the claimno deviation found');
    expect(cells('capacity-bound')[2]).toBe('at most 1');
    // 5.74 is not more than 7×: close, not a tick.
    expect(cells('olmoe-peak')[2]).toBe('more than 7×');
    expect(cells('olmoe-peak')[4]).toMatch(/^≈ Close, misses the claim−18\.\d% short of the bound \(7×\)/);
    expect(group).toHaveTextContent('2 of 3 meet the claim; 3 of 3 within tolerance.');
    // The page's summary keeps "within tolerance" truthful and says what a tick counts.
    expect(screen.getByText(/meet the claim as printed/)).toHaveTextContent(
      /^25 of 47 meet the claim as printed .*; 34 of 47 are within tolerance, counting 9 that miss the claim .*; 13 miss it by more/,
    );
  });

  it('opens a paper check’s model figure to its working in the table, and Escape closes it', async () => {
    const user = userEvent.setup();
    renderApp('#v=1&lab=learn');
    const row = document.querySelector('[data-check="routing.olmoe-peak"]') as HTMLElement;
    const figure = within(row).getByRole('button', { name: /^5\.74×: show the working of Peak expert load/ });
    expect(figure).toHaveAttribute('aria-expanded', 'false');
    await user.click(figure);
    expect(figure).toHaveAttribute('aria-expanded', 'true');
    const working = document.getElementById(figure.getAttribute('aria-controls') ?? '') as HTMLElement;
    expect(working).toBeVisible();
    expect(working).toHaveTextContent('max_{d,i} N_{d,i} / N̄_d');
    expect(working).toHaveTextContent(/Source: Capacity-Aware Inference, Fig\. 1 and Eq\. 3–5/);
    // The figure is findable in the lab the row opens: the working says which of the lab's figures it is.
    expect(working).toHaveTextContent(
      /Busiest per-device expert load \/ C, before the cap" is the same peak over C: 1,470 \/ 320 = 4\.59/,
    );
    expect(working).toHaveTextContent(/"Peak expert load \/ mean" \(5\.64\) is a different one/);
    await user.keyboard('{Escape}');
    expect(figure).toHaveAttribute('aria-expanded', 'false');
    expect(figure).toHaveFocus();
    // Every row's figure opens to its working, sizes included.
    for (const each of document.querySelectorAll('[data-check]'))
      expect(
        within(each as HTMLElement).getByRole('button', { name: /show the working of/ }),
      ).toBeInTheDocument();
  });

  it('switches to the dark theme', async () => {
    const user = userEvent.setup();
    renderApp();
    const toggle = screen.getByRole('button', { name: 'Dark theme' });
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    expect(document.documentElement.dataset.theme).toBe('dark');
  });

  it('Skip to the labs moves focus to the labs and leaves the scenario in the address', async () => {
    const user = userEvent.setup();
    const { store } = renderApp('#v=1&model=deepseek-v3&ep=64&dp=64');
    const scenario = store.getState().scenario;
    await user.click(screen.getByRole('link', { name: 'Skip to the labs' }));
    expect(document.activeElement).toBe(document.getElementById('main'));
    expect(store.getState().scenario).toBe(scenario);
    expect(window.location.hash).not.toBe('#main');
  });

  it('clears an edit’s notice once a later edit needs no adjustment', async () => {
    const user = userEvent.setup();
    const { store } = renderApp();
    const topK = screen.getByLabelText(/Top-k/);
    await user.clear(topK);
    await user.type(topK, '12');
    expect(banner().getByText(/using top-8/)).toBeInTheDocument();
    store.getState().setField('seed', 7);
    await waitFor(() => expect(screen.queryByText(/using top-8/)).not.toBeInTheDocument());
  });

  it('keeps keyboard focus in the labs when a notice is dismissed', async () => {
    const user = userEvent.setup();
    renderApp('#v=1&ep=abc');
    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(document.activeElement).toBe(document.getElementById('main'));
  });

  it('names the open lab in the window title', async () => {
    const user = userEvent.setup();
    renderApp('#v=1&lab=routing&routing.tokensPerDevice=64');
    expect(document.title).toBe('Routing · MoE Lab');
    await user.click(screen.getByRole('tab', { name: 'Learn' }));
    expect(document.title).toBe('Learn · MoE Lab');
    await user.click(screen.getByRole('tab', { name: 'Summary' }));
    expect(document.title).toBe('Summary · MoE Lab');
  });

  it('Escape closes an open working and leaves focus on its figure', async () => {
    const user = userEvent.setup();
    renderApp();
    const figure = screen.getByRole('button', { name: /Total parameters/ });
    figure.focus();
    await user.keyboard('{Enter}');
    expect(figure).toHaveAttribute('aria-expanded', 'true');
    await user.keyboard('{Escape}');
    expect(figure).toHaveAttribute('aria-expanded', 'false');
    expect(document.activeElement).toBe(figure);
  });
});

import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderApp } from './renderApp';

const RUN = '#v=1&lab=checkpointing&checkpoint.totalIterations=2000&checkpoint.viewIteration=1000&dp=16';

/** The PLT figure's button, once the run is in. */
async function pltButton(): Promise<HTMLElement> {
  await screen.findByText(/iterations since each expert was last saved/, {}, { timeout: 10_000 });
  const button = document.querySelector<HTMLElement>('[data-metric="checkpoint.run.plt"] button');
  if (!button) throw new Error('no PLT figure');
  return button;
}

describe('Checkpointing panel', () => {
  it('shows the staleness of either copy an expert has under two-level saving', async () => {
    const user = userEvent.setup();
    renderApp(RUN);
    await screen.findByText(/iterations since each expert was last saved \(K = 4\)/, {}, { timeout: 10_000 });
    await user.click(screen.getByRole('radio', { name: /persisted copy/ }));
    await waitFor(() =>
      expect(
        screen.getByText(/iterations since each expert was last persisted \(K_persist = 1\)/),
      ).toBeInTheDocument(),
    );
  });

  it('colours both copies on one scale, so switching between them compares like with like', async () => {
    const user = userEvent.setup();
    renderApp(RUN);
    // Mixtral: 8 experts, K = 4, K_persist = 1, every 100 iterations: a persisted copy is at most 800 iterations old.
    const grid = () => screen.getByRole('img', { name: /^Staleness at iteration/ });
    await screen.findByText(/iterations since each expert was last saved/, {}, { timeout: 10_000 });
    expect(grid().getAttribute('aria-label')).toMatch(/since the last save \(0 to 800\+, the same scale/);
    await user.click(screen.getByRole('radio', { name: /persisted copy/ }));
    await waitFor(() =>
      expect(grid().getAttribute('aria-label')).toMatch(
        /since the last persist \(0 to 800\+, the same scale/,
      ),
    );
  });

  it('has no copy to choose without two-level saving', async () => {
    renderApp(`${RUN}&checkpoint.twoLevel=false`);
    await screen.findByText(/iterations since each expert was last saved/, {}, { timeout: 10_000 });
    expect(screen.queryByRole('radio', { name: /persisted copy/ })).not.toBeInTheDocument();
  });

  it('warns that a single node leaves two-level saving nothing to recover from', async () => {
    renderApp('#v=1&lab=checkpointing&checkpoint.totalIterations=2000');
    expect(await screen.findByText(/All GPUs are on one node/)).toBeInTheDocument();
  });

  it('says so beside the figures when failures outpace progress, so a PLT of 0 is not read as a healthy run', async () => {
    // A fault every 3 minutes against a 10-minute restart: no checkpoint is ever reached.
    renderApp('#v=1&lab=checkpointing&checkpoint.mtbfHours=0.05');
    const warning = await screen.findByTestId('unfinished-run', {}, { timeout: 10_000 });
    expect(warning).toHaveTextContent(/never finishes.*stopped at iteration \d/);
    const plt = document.querySelector('[data-metric="checkpoint.run.plt"]');
    expect(plt).not.toBeNull();
  });

  it('says beside the PLT figure, in words a screen reader reads with it, that it is above the threshold', async () => {
    renderApp(RUN);
    // This run's one fault loses 16.6% of the tokens, against the default 3.75% threshold.
    const plt = await pltButton();
    // The flag is part of the button's name (jsdom, without the stylesheet, runs the spans' words together; the
    // space after the dash is a no-break one, which Chromium reads as a space).
    expect(plt).toHaveAccessibleName(/^Proportion of Lost Tokens\s*16\.6%\s*—\sabove the 3\.75% threshold$/);
    expect(plt.querySelector('.metric__value')).toHaveTextContent(/^16\.6%$/);
    expect(plt.querySelector('.metric__flag')).toHaveTextContent('— above the 3.75% threshold');
    expect(plt.closest('.metric')).toHaveClass('metric--flagged');
  });

  it('gives a PLT at or below the threshold no flag', async () => {
    renderApp(`${RUN}&checkpoint.pltThreshold=0.5`);
    const plt = await pltButton();
    expect(plt).toHaveAccessibleName(/^Proportion of Lost Tokens\s*16\.6%$/);
    expect(plt.closest('.metric')).not.toHaveClass('metric--flagged');
  });

  it('marks on the PLT chart where dynamic K doubled K, and says so in its description and data', async () => {
    renderApp(RUN);
    await pltButton();
    // The fault at iteration 1,639 rolls back to 1,600, past the threshold: K 4 → 8 and K_persist 1 → 2 from there.
    const chart = screen.getByRole('img', { name: /^Proportion of Lost Tokens over the run/ });
    expect(
      Array.from(chart.querySelectorAll('.line-chart__event-label'), (label) => label.textContent),
    ).toEqual(['K 4→8, K_persist 1→2']);
    expect(chart).toHaveAccessibleDescription(
      /Dynamic K doublings \(after a fault, from the checkpoint rolled back to\): K 4→8 and K_persist 1→2 at iteration 1,600\./,
    );
    const figure = chart.closest('figure');
    if (!figure) throw new Error('no figure');
    fireEvent.click(within(figure).getByText('Show the data'));
    const table = await within(figure).findByRole('table', { name: /^Dynamic K doublings/ });
    expect(within(table).getByRole('row', { name: '1,600 K 4→8 and K_persist 1→2' })).toBeInTheDocument();
  });

  it('marks no doubling when dynamic K is off', async () => {
    renderApp(`${RUN}&checkpoint.dynamicK=false`);
    await pltButton();
    const chart = screen.getByRole('img', { name: /^Proportion of Lost Tokens over the run/ });
    expect(chart.querySelectorAll('.line-chart__event-label')).toHaveLength(0);
    expect(chart).not.toHaveAccessibleDescription(/Dynamic K/);
  });

  it('gives a healthy run no such warning', async () => {
    renderApp(RUN);
    await screen.findByText(/iterations since each expert was last saved/, {}, { timeout: 10_000 });
    expect(screen.queryByTestId('unfinished-run')).not.toBeInTheDocument();
  });

  it('reads and shows the PLT threshold in percent, while the scenario keeps the fraction', async () => {
    const user = userEvent.setup();
    const { store } = renderApp('#v=1&lab=checkpointing');
    const input = screen.getByLabelText(/PLT threshold/);
    expect(input).toHaveValue(3.75);
    expect(screen.getByText(/PLT threshold/).textContent).toMatch(/\(%\)/);
    await user.clear(input);
    await user.type(input, '5');
    fireEvent.blur(input);
    expect(store.getState().scenario.checkpoint.pltThreshold).toBe(0.05);
    expect(store.getState().notice).toBeNull();
    await user.clear(input);
    await user.type(input, '150');
    fireEvent.blur(input);
    expect(store.getState().scenario.checkpoint.pltThreshold).toBe(1);
    expect(store.getState().notice?.messages[0]?.message).toMatch(/150 % is above the maximum; set to 100 %/);
  });

  it('takes the optimizer bytes from the model preset, says when a link changed them and resets them to it', async () => {
    const user = userEvent.setup();
    const { store } = renderApp('#v=1&lab=checkpointing&checkpoint.optimizerBytesPerParam=8');
    const input = screen.getByRole('spinbutton', { name: /Optimizer bytes per parameter/ });
    expect(input).toHaveValue(8);
    expect(input.closest('.field')).toHaveTextContent(/Changed from the preset\./);
    await user.click(screen.getByRole('button', { name: /Reset Optimizer bytes per parameter/ }));
    expect(screen.getByRole('spinbutton', { name: /Optimizer bytes per parameter/ })).toHaveValue(12);
    expect(store.getState().scenario.checkpoint.optimizerBytesPerParam).toBeUndefined();
    expect(
      screen.queryByRole('button', { name: /Reset Optimizer bytes per parameter/ }),
    ).not.toBeInTheDocument();
  });

  it('shows only the MTBF the failure rate is given as: the job’s, or one GPU’s once switched to per GPU', async () => {
    const user = userEvent.setup();
    const { store } = renderApp('#v=1&lab=checkpointing');
    const jobField = () =>
      screen.queryByRole('spinbutton', { name: /^Mean time between failures\s*\(hours\)/ });
    const gpuField = () =>
      screen.queryByRole('spinbutton', { name: /^Mean time between failures of one GPU\s*\(hours\)/ });
    const scope = screen.getByRole('combobox', { name: /^Failure rate given/ });
    expect(scope).toHaveValue('job');
    expect(within(scope).getByRole('option', { name: 'For the whole job' })).toBeInTheDocument();
    expect(jobField()).toHaveValue(24);
    expect(gpuField()).not.toBeInTheDocument();
    await user.selectOptions(scope, 'gpu');
    expect(store.getState().scenario.checkpoint.failureScope).toBe('gpu');
    expect(jobField()).not.toBeInTheDocument();
    // Llama 3's rate, rounded to the hour.
    expect(gpuField()).toHaveValue(50677);
    expect(gpuField()?.closest('.field')).toHaveTextContent(/419 unexpected interruptions in 54 days/);
    await user.selectOptions(scope, 'job');
    expect(jobField()).toHaveValue(24);
    expect(gpuField()).not.toBeInTheDocument();
  });

  it('shows the job’s MTBF among the figures, flagged against Llama 3’s rate until given per GPU at it', async () => {
    const user = userEvent.setup();
    renderApp('#v=1&lab=checkpointing');
    const figure = () => document.querySelector('[data-metric="checkpoint.jobMtbf"]');
    expect(figure()?.querySelector('.metric__value')).toHaveTextContent(/^24 hours$/);
    expect(figure()?.querySelector('.metric__flag')).toHaveTextContent('264× Llama 3’s failure rate per GPU');
    await user.selectOptions(screen.getByRole('combobox', { name: /^Failure rate given/ }), 'gpu');
    // 50,677 GPU-hours over 8 GPUs.
    expect(figure()?.querySelector('.metric__value')).toHaveTextContent(/^6330 hours$/);
    expect(figure()?.querySelector('.metric__flag')).toBeNull();
  });

  it('opens a per-GPU link on the per-GPU field', () => {
    renderApp('#v=1&lab=checkpointing&checkpoint.failureScope=gpu&checkpoint.gpuMtbfHours=1000');
    expect(screen.getByRole('combobox', { name: /^Failure rate given/ })).toHaveValue('gpu');
    expect(
      screen.getByRole('option', { name: 'Per GPU (a bigger job fails more often)', selected: true }),
    ).toBeInTheDocument();
    expect(screen.getByRole('spinbutton', { name: /^Mean time between failures of one GPU/ })).toHaveValue(
      1000,
    );
    expect(
      screen.queryByRole('spinbutton', { name: /^Mean time between failures\s*\(hours\)/ }),
    ).not.toBeInTheDocument();
  });

  it('colours staleness on a scale that means the same at any K: K = N is not drawn as the stalest', async () => {
    // Mixtral: 8 experts every 100 iterations, each saved at every checkpoint: at most 100 iterations old, an eighth
    // of the scale, whose top is where K = 1 leaves an expert.
    renderApp(`${RUN}&checkpoint.twoLevel=false&checkpoint.expertsPerCheckpoint=8`);
    await screen.findByText(/iterations since each expert was last saved \(K = 8\)/, {}, { timeout: 10_000 });
    const grid = screen.getByRole('img', { name: /^Staleness at iteration/ });
    expect(grid.getAttribute('aria-label')).toMatch(
      /\(0 to 800\+; top colour = N × I_ckpt = 8 × 100, the longest K = 1 leaves an expert unsaved\)/,
    );
    expect(screen.getByText(/800\+ iterations ago: as stale as K = 1 gets/)).toBeInTheDocument();
  });

  it('warns, as the Summary does, when the model states do not fit in GPU memory', async () => {
    // Mixtral on one node of 8 × 80 GB, EP = DP = 8, ZeRO-2: 96.2 GB of model states per GPU.
    renderApp('#v=1&lab=checkpointing');
    expect(await screen.findByTestId('memory-warning')).toHaveTextContent(
      /Training memory does not fit: the model states take 96\.2 GB per GPU against 80 GB of GPU memory \(120%\)/,
    );
  });

  it('does not warn when they fit', () => {
    renderApp('#v=1&lab=checkpointing&dp=64');
    expect(screen.queryByTestId('memory-warning')).not.toBeInTheDocument();
  });

  it('announces the iteration with thousands separators, and while playing not at every step', async () => {
    const user = userEvent.setup();
    renderApp(RUN);
    await pltButton();
    const live = screen.getByTestId('transport-announcement');
    expect(live).toHaveAttribute('aria-live', 'polite');
    expect(live).toHaveTextContent(/^Iteration 1,000 of 2,000$/);
    const shown = screen.getByTestId('transport-position');
    expect(shown).not.toHaveAttribute('aria-live');
    await user.click(screen.getByRole('button', { name: 'Play' }));
    // Two steps of 100 iterations, 600 ms apart: the position moves, the announcement does not follow each step.
    await waitFor(() => expect(shown).toHaveTextContent(/^Iteration 1,200 of 2,000/), { timeout: 10_000 });
    expect(live).toHaveTextContent(/^Iteration 1,000 of 2,000, playing$/);
    await user.click(screen.getByRole('button', { name: 'Pause' }));
    // Pausing announces where the playhead stopped at once.
    await waitFor(() => expect(live.textContent).toBe(shown.textContent?.replace(' (simulating…)', '')));
    expect(live).toHaveTextContent(/^Iteration 1,[2-9]00 of 2,000$/);
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { applyEntries, defaultScenario } from '../../src/core';
import { LoadMatrixInput, PASTED_LOADS_NAME } from '../../src/panels/routing/LoadMatrixInput';
import { AppStoreContext } from '../../src/state/AppStoreContext';
import { createAppStore } from '../../src/state/store';

const OLMOE_TEXT = readFileSync(path.resolve('test', 'fixtures', 'olmoe-layer-peak-load.json'), 'utf8');
const OLMOE_LOADS = (JSON.parse(OLMOE_TEXT) as { normalisedPeakLoad: number[] }).normalisedPeakLoad;

/** Two layers of the default model (Mixtral 8×7B: 8 routed experts, 32 MoE layers), with a header and labels. */
const GOOD_CSV = 'layer,e0,e1,e2,e3,e4,e5,e6,e7\nL0,812,40,377,90,12,600,33,8\nL1,95,610,12,70,70,70,300,1\n';
const GOOD_MATRIX = [
  [812, 40, 377, 90, 12, 600, 33, 8],
  [95, 610, 12, 70, 70, 70, 300, 1],
];

function renderInput(scenario = defaultScenario()) {
  const store = createAppStore({ scenario });
  const view = render(
    <AppStoreContext.Provider value={store}>
      <LoadMatrixInput />
    </AppStoreContext.Provider>,
  );
  return { store, ...view };
}

function fileInput(): HTMLInputElement {
  return screen.getByLabelText(/Upload a load matrix/) as HTMLInputElement;
}

function file(text: string, name: string): File {
  return new File([text], name, { type: name.endsWith('.json') ? 'application/json' : 'text/csv' });
}

async function upload(user: ReturnType<typeof userEvent.setup>, chosen: File): Promise<void> {
  await user.upload(fileInput(), chosen);
}

describe('LoadMatrixInput', () => {
  it('is a labelled section whose every control has a name', async () => {
    const { container } = renderInput();
    expect(screen.getByRole('region', { name: 'Bring your own loads' })).toBeInTheDocument();
    expect(fileInput()).toHaveAttribute('accept', '.csv,.tsv,.json,.txt');
    expect(screen.getByRole('textbox', { name: 'Or paste a load matrix' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Use pasted loads' })).toBeInTheDocument();
    expect(screen.getByText(/This model needs 8 columns; it has 32 MoE layers/)).toBeInTheDocument();
    const results = await axe.run(container, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    expect(results.violations.map((violation) => violation.id)).toEqual([]);
  });

  it('uses a good CSV file: the store keeps the matrix and routing switches to it', async () => {
    const user = userEvent.setup();
    const { store } = renderInput();
    expect(store.getState().scenario.routing.profile).toBe('zipf');
    await upload(user, file(GOOD_CSV, 'loads.csv'));
    await waitFor(() => expect(store.getState().customLoads).not.toBeNull());
    expect(store.getState().customLoads).toEqual({ matrix: GOOD_MATRIX, name: 'loads.csv' });
    expect(store.getState().scenario.routing.profile).toBe('custom');
    const status = screen.getByRole('status');
    expect(status).toHaveTextContent('Using loads.csv: 2 layers × 8 experts');
    expect(status).toHaveTextContent('Skipped the header row (row 1).');
    expect(status).toHaveTextContent('the rows repeat in turn');
    expect(screen.getByText(/Loaded:/)).toHaveTextContent(
      'Loaded: loads.csv (2 layers × 8 experts). Routing uses it.',
    );
    expect(screen.getByRole('alert')).toBeEmptyDOMElement();
  });

  it('explains a malformed file and keeps the loads already in use and the scenario as they were', async () => {
    const user = userEvent.setup();
    const { store } = renderInput();
    await upload(user, file(GOOD_CSV, 'loads.csv'));
    await waitFor(() => expect(store.getState().customLoads?.name).toBe('loads.csv'));
    const before = store.getState();

    await upload(user, file('1,2,3,4,5,6,7,8\n1,2,3,4,abc,6,7,8\n', 'broken.csv'));
    const alert = await screen.findByText(/Could not use broken\.csv/);
    expect(screen.getByRole('alert')).toContainElement(alert);
    expect(alert).toHaveTextContent(
      "Could not use broken.csv: Row 2, column 5: 'abc' is not a number. Nothing was changed: loads.csv is still loaded.",
    );
    expect(store.getState().customLoads).toBe(before.customLoads);
    expect(store.getState().scenario).toBe(before.scenario);
    expect(fileInput()).toHaveAttribute('aria-invalid', 'true');
    expect(fileInput().getAttribute('aria-describedby')).toContain(screen.getByRole('alert').id);
    expect(screen.getByRole('status')).toBeEmptyDOMElement();

    await upload(user, file('{"loads": [[1, 2,', 'broken.json'));
    await screen.findByText(/Could not use broken\.json: it is not valid JSON: /);
    expect(store.getState().customLoads).toBe(before.customLoads);
    expect(store.getState().scenario).toBe(before.scenario);
  });

  it('says the expert count is wrong, and which presets the matrix would fit', async () => {
    const user = userEvent.setup();
    const { store } = renderInput();
    const scenario = store.getState().scenario;
    await upload(user, file(OLMOE_TEXT, 'olmoe-layer-peak-load.json'));
    const message = await screen.findByText(/has 64 columns/);
    expect(message).toHaveTextContent(
      'The matrix has 64 columns but the model has 8 routed experts: pick a model with 64 experts or upload a matrix with 8 columns.',
    );
    expect(message).toHaveTextContent(/Presets with 64 experts: .*OLMoE/);
    expect(message).toHaveTextContent(/Nothing was changed\.$/);
    expect(store.getState().customLoads).toBeNull();
    expect(store.getState().scenario).toBe(scenario);
  });

  it('uses the shared OLMoE file on the OLMoE model, as one layer for all 16 MoE layers', async () => {
    const user = userEvent.setup();
    const olmoe = applyEntries(defaultScenario(), [['model', 'olmoe-1b-7b']]).scenario;
    const { store } = renderInput(olmoe);
    await upload(user, file(OLMOE_TEXT, 'olmoe-layer-peak-load.json'));
    await screen.findByText('Using olmoe-layer-peak-load.json: 1 layer × 64 experts');
    expect(screen.getByRole('status')).toHaveTextContent('One list of loads: used for all 16 MoE layers.');
    expect(store.getState().customLoads?.matrix).toEqual([OLMOE_LOADS]);
    expect(store.getState().scenario.routing.profile).toBe('custom');
  });

  it('uses pasted loads, and explains pasted text it cannot use while keeping the text', async () => {
    const user = userEvent.setup();
    const { store } = renderInput();
    const textarea = screen.getByRole('textbox', { name: 'Or paste a load matrix' });
    await user.click(textarea);
    await user.paste('[[1, 2, 3, 4, 5, 6, 7, -8]]');
    await user.click(screen.getByRole('button', { name: 'Use pasted loads' }));
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Could not use pasted loads: Row 1, column 8: -8 is negative; loads count tokens, so they cannot be below 0. Nothing was changed.',
    );
    expect(textarea).toHaveAttribute('aria-invalid', 'true');
    expect(textarea).toHaveValue('[[1, 2, 3, 4, 5, 6, 7, -8]]');
    expect(store.getState().customLoads).toBeNull();
    expect(store.getState().scenario.routing.profile).toBe('zipf');

    await user.clear(textarea);
    await user.paste('1\t2\t3\t4\t5\t6\t7\t8');
    await user.click(screen.getByRole('button', { name: 'Use pasted loads' }));
    expect(store.getState().customLoads).toEqual({
      matrix: [[1, 2, 3, 4, 5, 6, 7, 8]],
      name: PASTED_LOADS_NAME,
    });
    expect(store.getState().scenario.routing.profile).toBe('custom');
    expect(screen.getByRole('status')).toHaveTextContent('Using pasted loads: 1 layer × 8 experts');
    expect(screen.getByRole('status')).toHaveTextContent('One row of loads: used for all 32 MoE layers.');
    expect(screen.getByRole('alert')).toBeEmptyDOMElement();
    expect(textarea).not.toHaveAttribute('aria-invalid');
  });

  it('explains empty pasted text', async () => {
    const user = userEvent.setup();
    const { store } = renderInput();
    await user.click(screen.getByRole('button', { name: 'Use pasted loads' }));
    expect(screen.getByRole('alert')).toHaveTextContent(/Could not use pasted loads: it is empty/);
    expect(store.getState().customLoads).toBeNull();
  });

  it('stops using the loads on request: the matrix goes and routing is Zipf-like again', async () => {
    const user = userEvent.setup();
    const { store } = renderInput();
    await upload(user, file(GOOD_CSV, 'loads.csv'));
    const stop = await screen.findByRole('button', { name: 'Stop using it' });
    await user.click(stop);
    expect(store.getState().customLoads).toBeNull();
    expect(store.getState().scenario.routing.profile).toBe('zipf');
    expect(screen.queryByRole('button', { name: 'Stop using it' })).not.toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(
      'Stopped using loads.csv: expert popularity is Zipf-like again.',
    );
    expect(fileInput()).toHaveFocus();
  });

  it('works from the keyboard alone', async () => {
    const user = userEvent.setup();
    const { store } = renderInput();
    await user.tab();
    expect(fileInput()).toHaveFocus();
    await user.tab();
    expect(screen.getByRole('textbox', { name: 'Or paste a load matrix' })).toHaveFocus();
    await user.paste('2,2,2,2,1,1,1,1');
    await user.tab();
    expect(screen.getByRole('button', { name: 'Use pasted loads' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(store.getState().customLoads?.matrix).toEqual([[2, 2, 2, 2, 1, 1, 1, 1]]);
    await user.tab({ shift: true });
    await user.tab({ shift: true });
    await user.tab({ shift: true });
    expect(screen.getByRole('button', { name: 'Stop using it' })).toHaveFocus();
    await user.keyboard(' ');
    expect(store.getState().customLoads).toBeNull();
  });

  it('offers to use loaded loads again when another profile was picked, and warns when they do not fit the model', async () => {
    const user = userEvent.setup();
    const { store } = renderInput();
    await upload(user, file(GOOD_CSV, 'loads.csv'));
    await screen.findByRole('button', { name: 'Stop using it' });
    act(() => store.getState().setField('routing.profile', 'uniform'));
    expect(screen.getByText(/Loaded:/)).toHaveTextContent('Not in use');
    await user.click(screen.getByRole('button', { name: 'Use it' }));
    expect(store.getState().scenario.routing.profile).toBe('custom');
    expect(screen.queryByRole('button', { name: 'Use it' })).not.toBeInTheDocument();

    act(() => store.getState().setField('model', 'olmoe-1b-7b'));
    expect(screen.getByText(/Loaded:/)).toHaveTextContent(
      'It has 8 experts but this model has 64, so routing uses the Zipf-like profile until you pick a model with 8 experts.',
    );
    expect(screen.getByText(/This model needs 64 columns; it has 16 MoE layers/)).toBeInTheDocument();
  });

  it('says so when the file cannot be read, or is too large to try', async () => {
    const user = userEvent.setup();
    const { store } = renderInput();
    const unreadable = file(GOOD_CSV, 'locked.csv');
    Object.defineProperty(unreadable, 'text', { value: () => Promise.reject(new Error('NotReadableError')) });
    await upload(user, unreadable);
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not read the file locked.csv.');
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent('Could not read the file locked.csv.'),
    );

    const huge = file(GOOD_CSV, 'huge.csv');
    Object.defineProperty(huge, 'size', { value: 6 * 1024 * 1024 });
    await upload(user, huge);
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent(
        'Could not use huge.csv: it is 6.0 MB; at most 5 MB is accepted.',
      ),
    );
    expect(store.getState().customLoads).toBeNull();
    expect(store.getState().scenario.routing.profile).toBe('zipf');
  });

  it('lets the same file be chosen again after it is fixed', async () => {
    const user = userEvent.setup();
    const { store } = renderInput();
    await upload(user, file('1,2,3', 'mine.csv'));
    await screen.findByText(/Could not use mine\.csv/);
    expect(fileInput().value).toBe('');
    await upload(user, file('1,2,3,4,5,6,7,8', 'mine.csv'));
    await waitFor(() => expect(store.getState().customLoads?.name).toBe('mine.csv'));
    expect(screen.getByRole('alert')).toBeEmptyDOMElement();
  });
});

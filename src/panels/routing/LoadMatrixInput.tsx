import { memo, useId, useRef, useState, type ChangeEvent } from 'react';
import { MODEL_PRESETS, countParameters, resolveArchitecture } from '../../core';
import { LOAD_MATRIX_LIMITS, parseLoadMatrix } from '../../core/routing/loadMatrix';
import { useAppState } from '../../state/AppStoreContext';

/** The name a pasted matrix goes by. */
export const PASTED_LOADS_NAME = 'pasted loads';

type Outcome =
  | { kind: 'reading'; message: string }
  | { kind: 'used'; message: string; notes: string[] }
  | { kind: 'stopped'; message: string }
  | { kind: 'error'; message: string; origin: 'file' | 'paste' };

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function shape(matrix: readonly (readonly number[])[]): string {
  return `${plural(matrix.length, 'layer')} × ${plural(matrix[0]?.length ?? 0, 'expert')}`;
}

/** For a matrix that only failed on its expert count: the presets it would fit. */
function modelsWith(experts: number | undefined): string {
  if (experts === undefined) return '';
  const names = MODEL_PRESETS.filter((preset) => preset.architecture.experts === experts).map(
    (preset) => preset.name,
  );
  return names.length > 0 ? ` Presets with ${plural(experts, 'expert')}: ${names.join(', ')}.` : '';
}

/**
 * "Bring your own loads": the user uploads or pastes a per-layer expert-load matrix (CSV, TSV or JSON). A valid one
 * drives routing (the profile switches to 'custom'); anything else is explained and changes nothing, so a matrix
 * already in use stays in use.
 */
// Memoised: it takes no props and reads the store itself, so the lab stepping its batch or iteration while playing
// does not re-render it.
export const LoadMatrixInput = memo(function LoadMatrixInput() {
  const experts = useAppState((state) => resolveArchitecture(state.scenario).experts);
  const moeLayers = useAppState((state) =>
    Math.max(1, countParameters(resolveArchitecture(state.scenario)).moeLayers),
  );
  const profile = useAppState((state) => state.scenario.routing.profile);
  const customLoads = useAppState((state) => state.customLoads);
  const setCustomLoads = useAppState((state) => state.setCustomLoads);
  const clearCustomLoads = useAppState((state) => state.clearCustomLoads);
  const setField = useAppState((state) => state.setField);

  const [pasted, setPasted] = useState('');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  /** Counts file reads, so a slow read that finishes after a newer one is ignored. */
  const readCount = useRef(0);
  const fileInput = useRef<HTMLInputElement>(null);

  const baseId = useId();
  const headingId = `${baseId}-heading`;
  const helpId = `${baseId}-help`;
  const fileId = `${baseId}-file`;
  const pasteId = `${baseId}-paste`;
  const currentId = `${baseId}-current`;
  const errorId = `${baseId}-error`;

  /** Parses `text` and, only if it is valid, hands the matrix to the store; otherwise explains why not. */
  function applyText(
    text: string,
    name: string,
    fileName: string | undefined,
    origin: 'file' | 'paste',
  ): void {
    const result = parseLoadMatrix(text, { fileName, experts, moeLayers });
    if (!result.ok) {
      // The parser names the file at the start of some messages; after "Could not use <file>:" that reads twice.
      const named = fileName ? `'${fileName}' ` : 'The input ';
      const reason = result.error.startsWith(named) ? `it ${result.error.slice(named.length)}` : result.error;
      setOutcome({
        kind: 'error',
        origin,
        message: `Could not use ${name}: ${reason}${modelsWith(result.columns)}`,
      });
      return;
    }
    setCustomLoads({ matrix: result.matrix, name });
    setOutcome({ kind: 'used', message: `Using ${name}: ${shape(result.matrix)}`, notes: result.notes });
  }

  async function onFileChosen(event: ChangeEvent<HTMLInputElement>): Promise<void> {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    readCount.current += 1;
    const read = readCount.current;
    try {
      if (file.size > LOAD_MATRIX_LIMITS.maxChars) {
        setOutcome({
          kind: 'error',
          origin: 'file',
          message: `Could not use ${file.name}: it is ${(file.size / (1024 * 1024)).toFixed(1)} MB; at most ${
            LOAD_MATRIX_LIMITS.maxChars / (1024 * 1024)
          } MB is accepted.`,
        });
        return;
      }
      setOutcome({ kind: 'reading', message: `Reading ${file.name}…` });
      let text: string;
      try {
        text = await file.text();
      } catch {
        if (read === readCount.current)
          setOutcome({ kind: 'error', origin: 'file', message: `Could not read the file ${file.name}.` });
        return;
      }
      if (read === readCount.current) applyText(text, file.name, file.name, 'file');
    } finally {
      // Lets the same file be chosen again after it is fixed.
      input.value = '';
    }
  }

  function stopUsing(): void {
    const name = customLoads?.name ?? 'your loads';
    clearCustomLoads();
    if (profile === 'custom') setField('routing.profile', 'zipf');
    setOutcome({
      kind: 'stopped',
      message: `Stopped using ${name}${profile === 'custom' ? ': expert popularity is Zipf-like again' : ''}.`,
    });
    // The button goes away with the matrix: keep keyboard focus in the section.
    fileInput.current?.focus();
  }

  const loadedExperts = customLoads?.matrix[0]?.length ?? 0;
  const fits = loadedExperts === experts;
  const error = outcome?.kind === 'error' ? outcome : null;

  return (
    <section className="load-matrix" aria-labelledby={headingId}>
      <h3 id={headingId}>Bring your own loads</h3>
      <p id={helpId} className="load-matrix__help">
        A per-layer expert-load matrix from your own runs: one row per MoE layer, one column per routed
        expert. This model needs {plural(experts, 'column')}; it has {plural(moeLayers, 'MoE layer')} (fewer
        rows repeat, extra rows are dropped). Token counts or shares, 0 or more. CSV, TSV or JSON (a list of
        rows, or an object with a <code>loads</code> list); a header row and a first column of layer labels
        are skipped. The matrix stays in this tab: it is not part of share links.
      </p>

      {customLoads ? (
        <div className="load-matrix__current">
          <p id={currentId}>
            Loaded: <strong>{customLoads.name}</strong> ({shape(customLoads.matrix)}).{' '}
            {!fits ? (
              <span className="load-matrix__mismatch">
                It has {plural(loadedExperts, 'expert')} but this model has {experts}, so routing uses the
                Zipf-like profile until you pick a model with {plural(loadedExperts, 'expert')}.
              </span>
            ) : profile === 'custom' ? (
              'Routing uses it.'
            ) : (
              'Not in use: another expert-popularity profile is selected.'
            )}
          </p>
          <div className="load-matrix__actions">
            {fits && profile !== 'custom' ? (
              <button type="button" onClick={() => setCustomLoads(customLoads)} aria-describedby={currentId}>
                Use it
              </button>
            ) : null}
            <button type="button" onClick={stopUsing} aria-describedby={currentId}>
              Stop using it
            </button>
          </div>
        </div>
      ) : null}

      <div className="load-matrix__field">
        <label htmlFor={fileId}>Upload a load matrix (.csv, .tsv, .json or .txt)</label>
        <input
          ref={fileInput}
          id={fileId}
          type="file"
          accept=".csv,.tsv,.json,.txt"
          aria-describedby={error?.origin === 'file' ? `${helpId} ${errorId}` : helpId}
          aria-invalid={error?.origin === 'file' ? true : undefined}
          onChange={(event) => void onFileChosen(event)}
        />
      </div>

      <div className="load-matrix__field">
        <label htmlFor={pasteId}>Or paste a load matrix</label>
        <textarea
          id={pasteId}
          rows={5}
          spellCheck={false}
          autoComplete="off"
          placeholder={'layer,e0,e1,e2,…\nL0,812,40,377,…\nL1,95,610,12,…'}
          value={pasted}
          aria-describedby={error?.origin === 'paste' ? `${helpId} ${errorId}` : helpId}
          aria-invalid={error?.origin === 'paste' ? true : undefined}
          onChange={(event) => setPasted(event.target.value)}
        />
        <div className="load-matrix__actions">
          <button type="button" onClick={() => applyText(pasted, PASTED_LOADS_NAME, undefined, 'paste')}>
            Use pasted loads
          </button>
        </div>
      </div>

      <div role="status" className="load-matrix__status">
        {outcome && outcome.kind !== 'error' ? <p>{outcome.message}</p> : null}
        {outcome?.kind === 'used' && outcome.notes.length > 0 ? (
          <ul className="load-matrix__notes">
            {outcome.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        ) : null}
      </div>
      <div role="alert" id={errorId} className="load-matrix__error">
        {error ? (
          <p>
            {error.message} Nothing was changed
            {customLoads ? `: ${customLoads.name} is still loaded` : ''}.
          </p>
        ) : null}
      </div>
    </section>
  );
});

import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { VERDICT_WORDS, formatPaperFigure, linkView, verdictDetail, type PaperCheckResult } from '../../core';
import { paperCheckResults } from '../../state/paperChecks';
import { formatMetricFlagged, formatValue } from '../../core/format';
import { useAppState } from '../../state/AppStoreContext';
import { MetricWorking } from '../common/MetricWorking';
import { SourceText } from '../common/SourceText';

/** The verdict and its reason: a symbol and words (never colour alone), then where the gap is measured from. */
function VerdictCell({ result }: { result: PaperCheckResult }) {
  const words = VERDICT_WORDS[result.verdict];
  return (
    <td className="checks__verdict">
      <span className={`badge badge--${result.verdict}`}>
        <span aria-hidden="true">{words.symbol} </span>
        {words.label}
      </span>
      <span className="checks__verdict-detail">{verdictDetail(result)}</span>
    </td>
  );
}

/** The paper's figure as printed; an identity is no reported figure but an equation that must hold. */
function PaperFigureCell({ result }: { result: PaperCheckResult }) {
  if (result.paperFigure.kind === 'identity')
    return <td className="numeric checks__identity">Identity: must hold exactly</td>;
  return <td className="numeric">{formatPaperFigure(result.paperFigure, result.unit)}</td>;
}

/** How many checks meet the claim, are close, or miss it; the first two together are "within tolerance". */
function verdictCounts(results: readonly PaperCheckResult[]) {
  const count = (verdict: PaperCheckResult['verdict']) =>
    results.filter((result) => result.verdict === verdict).length;
  const meets = count('meets');
  const close = count('close');
  return { meets, close, outside: count('outside'), withinTolerance: meets + close };
}

/** After opening a check in its lab: start at the top of the page, with focus on the labs (not at the old row). */
function showLabFromTop() {
  document.getElementById('main')?.focus({ preventScroll: true });
  window.scrollTo({ top: 0 });
}

/** Checks in registry order, gathered under their group (a group's checks are listed together). */
function byGroup(results: readonly PaperCheckResult[]): PaperCheckResult[][] {
  const groups = new Map<string, PaperCheckResult[]>();
  for (const result of results) {
    const members = groups.get(result.group.title) ?? [];
    members.push(result);
    groups.set(result.group.title, members);
  }
  return [...groups.values()];
}

function CheckRow({ result }: { result: PaperCheckResult }) {
  const openCheck = useAppState((state) => state.openCheck);
  // The model's figure opens to its working (formula, inputs, source) in a row under it, as every figure does.
  const [workingOpen, setWorkingOpen] = useState(false);
  const workingId = useId();
  const figureButton = useRef<HTMLButtonElement>(null);
  const modelFigure = formatValue(result.modelValue, result.unit);
  // Escape closes the working, as it would a disclosure, from the figure or from inside the working.
  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !workingOpen) return;
    setWorkingOpen(false);
    figureButton.current?.focus();
  };
  return (
    <>
      <tr data-check={result.id}>
        <td>
          {result.claim}
          {result.gapExplanation ? <p className="checks__explanation">Gap: {result.gapExplanation}</p> : null}
        </td>
        <td className="checks__source">
          <SourceText source={result.source} />
        </td>
        <PaperFigureCell result={result} />
        <td className="numeric">
          {result.paperFigure.kind === 'identity' ? (
            <span className="checks__figure-label">largest deviation </span>
          ) : null}
          <button
            ref={figureButton}
            type="button"
            className="checks__figure"
            aria-expanded={workingOpen}
            aria-controls={workingId}
            aria-label={`${modelFigure}: show the working of ${result.metric.label}`}
            title="Show the working"
            onClick={() => setWorkingOpen((open) => !open)}
            onKeyDown={closeOnEscape}
          >
            {modelFigure}
          </button>
        </td>
        <VerdictCell result={result} />
        <td>
          <button
            type="button"
            onClick={() => {
              openCheck(result.id, result.fragment);
              showLabFromTop();
            }}
          >
            Open<span className="visually-hidden"> the scenario for: {result.claim}</span>
          </button>
        </td>
      </tr>
      <tr id={workingId} className="checks__working-row" hidden={!workingOpen} onKeyDown={closeOnEscape}>
        <td colSpan={6}>
          {workingOpen ? (
            <div className="metric__working">
              <p>
                <strong>{result.metric.label}</strong>: {formatMetricFlagged(result.metric)}
              </p>
              <MetricWorking metric={result.metric} />
            </div>
          ) : null}
        </td>
      </tr>
    </>
  );
}

/** One setup's checks: its title, the setup said once, and a table of its claims. */
function CheckGroupTable({ results, index }: { results: PaperCheckResult[]; index: number }) {
  const group = results[0]?.group;
  if (!group) return null;
  const counts = verdictCounts(results);
  const headingId = `checks-group-${index}`;
  // The lab the group's scenarios open on, so a lab can send a reader to its own checks (PaperChecksLink).
  const lab = linkView(results[0]?.fragment ?? '').lab;
  return (
    <section className="checks-group" aria-labelledby={headingId} data-checks-lab={lab}>
      <h3 id={headingId} tabIndex={-1}>
        {group.title}
      </h3>
      <p className="checks-group__setup">
        <span className="checks-group__count">
          {counts.meets} of {results.length} meet the claim; {counts.withinTolerance} of {results.length}{' '}
          within tolerance.
        </span>{' '}
        Setup: {group.setup}
      </p>
      <div className="table-scroll">
        <table className="checks">
          <caption className="visually-hidden">{group.title}</caption>
          <thead>
            <tr>
              <th scope="col">Claim</th>
              <th scope="col">Source</th>
              <th scope="col" className="numeric">
                Paper reports
              </th>
              <th scope="col" className="numeric">
                Model gives
              </th>
              <th scope="col">Verdict</th>
              <th scope="col">Scenario</th>
            </tr>
          </thead>
          <tbody>
            {results.map((result) => (
              <CheckRow key={result.id} result={result} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Paper checks: what each paper reports, what the model computes from the paper's setup, and the gap. */
export function LearnPanel() {
  const results = paperCheckResults();
  const groups = useMemo(() => byGroup(results), [results]);
  const counts = verdictCounts(results);
  const total = results.length;
  return (
    <section className="panel" aria-labelledby="learn-heading">
      <h2 id="learn-heading">Learn: paper checks</h2>
      <p className="panel__lead">
        Each row is a claim from a paper. The model computes its own figure from the paper’s setup, never from
        the paper’s number, and compares it with the figure as the paper prints it.{' '}
        <span className="checks__summary">
          {counts.meets} of {total} meet the claim as printed (✓ inside the range, past the bound, equal to
          the printed digits); {counts.withinTolerance} of {total} are within tolerance, counting{' '}
          {counts.close} that miss the claim by no more than their check’s tolerance (≈); {counts.outside}{' '}
          miss it by more (✗).
        </span>{' '}
        Guided lessons will arrive here with the labs.
      </p>
      {groups.map((members, index) => (
        <CheckGroupTable key={members[0]?.group.title ?? index} results={members} index={index} />
      ))}
    </section>
  );
}

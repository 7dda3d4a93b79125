import { useMemo } from 'react';
import type { PaperCheckResult } from '../../core';
import { paperCheckResults } from '../../state/paperChecks';
import { formatValue } from '../../core/format';
import { useAppState } from '../../state/AppStoreContext';
import { SourceText } from '../common/SourceText';

function gapText(relativeGap: number): string {
  const percent = relativeGap * 100;
  return `${percent >= 0 ? '+' : ''}${percent.toFixed(1)}%`;
}

/** The rule the tick applies, in words: "within ±25%", "outside ±3%", or for a bound "at most +0%". */
function toleranceText(result: PaperCheckResult): string {
  const percent = Number((result.tolerance * 100).toFixed(1));
  if (result.comparison === 'at-most')
    return result.withinTolerance
      ? `at most the paper's bound (+${percent}%)`
      : `above the bound (+${percent}%)`;
  return `${result.withinTolerance ? 'within' : 'outside'} ±${percent}%`;
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
  return (
    <tr data-check={result.id}>
      <td>
        {result.claim}
        {result.gapExplanation ? <p className="checks__explanation">Gap: {result.gapExplanation}</p> : null}
      </td>
      <td className="checks__source">
        <SourceText source={result.source} />
      </td>
      <td className="numeric">{formatValue(result.paperValue, result.unit)}</td>
      <td className="numeric">{formatValue(result.modelValue, result.unit)}</td>
      <td className="numeric">
        <span className={result.withinTolerance ? 'badge badge--ok' : 'badge badge--gap'}>
          {result.withinTolerance ? '✓ ' : '△ '}
          {gapText(result.relativeGap)}
        </span>
        {/* What the tick means, shown: a figure within a tolerance of the paper's, not the claim's words. */}
        <span className="checks__tolerance"> {toleranceText(result)}</span>
      </td>
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
  );
}

/** One setup's checks: its title, the setup said once, and a table of its claims. */
function CheckGroupTable({ results, index }: { results: PaperCheckResult[]; index: number }) {
  const group = results[0]?.group;
  if (!group) return null;
  const met = results.filter((result) => result.withinTolerance).length;
  const headingId = `checks-group-${index}`;
  return (
    <section className="checks-group" aria-labelledby={headingId}>
      <h3 id={headingId}>{group.title}</h3>
      <p className="checks-group__setup">
        <span className="checks-group__count">
          {met} of {results.length} within tolerance.
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
              <th scope="col" className="numeric">
                Gap
              </th>
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
  const met = results.filter((result) => result.withinTolerance).length;
  return (
    <section className="panel" aria-labelledby="learn-heading">
      <h2 id="learn-heading">Learn: paper checks</h2>
      <p className="panel__lead">
        Each row is a claim from a paper. The model computes its own figure from the paper’s setup, never from
        the paper’s number, and the gap is shown as it is. {met} of {results.length} are within tolerance.
        Guided lessons will arrive here with the labs.
      </p>
      {groups.map((members, index) => (
        <CheckGroupTable key={members[0]?.group.title ?? index} results={members} index={index} />
      ))}
    </section>
  );
}

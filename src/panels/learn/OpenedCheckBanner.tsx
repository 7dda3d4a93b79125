import { formatPaperFigure, verdictSummary } from '../../core';
import { formatValue } from '../../core/format';
import { useAppState } from '../../state/AppStoreContext';
import { paperCheckResults } from '../../state/paperChecks';
import { MetricView } from '../common/MetricView';

/**
 * Shown above a lab opened from a paper check: the claim, what the paper reports against what the model gives, and
 * the check's own figure with its working. A check's figure often compares two setups (MoC-Async against the
 * blocking baseline), so it is not one of the lab's figures; this keeps it in sight while the lab shows the setup.
 */
export function OpenedCheckBanner() {
  const opened = useAppState((state) => state.openedCheck);
  const scenario = useAppState((state) => state.scenario);
  const activeTab = useAppState((state) => state.activeTab);
  const setTab = useAppState((state) => state.setTab);
  const closeCheck = useAppState((state) => state.closeCheck);
  if (!opened || activeTab === 'learn') return null;
  const result = paperCheckResults().find((each) => each.id === opened.id);
  if (!result) return null;
  const changed = scenario !== opened.scenario;
  return (
    <section className="opened-check" aria-label="Paper check opened from Learn">
      <p className="opened-check__claim">
        <strong>Paper check:</strong> {result.claim}
      </p>
      <p className="opened-check__figures">
        {result.paperFigure.kind === 'identity'
          ? 'The equation must hold exactly; the largest deviation the model finds is '
          : `Paper reports ${formatPaperFigure(result.paperFigure, result.unit)}; the model gives `}
        {formatValue(result.modelValue, result.unit)} for the check’s setup. {verdictSummary(result)}.
        {changed ? ' You have changed the scenario since, so the lab below no longer shows that setup.' : ''}
      </p>
      <div className="opened-check__metric">
        <MetricView metric={result.metric} />
      </div>
      <div className="opened-check__actions">
        <button type="button" onClick={() => setTab('learn')}>
          Back to the paper checks
        </button>
        <button type="button" onClick={closeCheck}>
          Close
        </button>
      </div>
    </section>
  );
}

import { flushSync } from 'react-dom';
import { useAppState } from '../../state/AppStoreContext';

/**
 * Opens the Learn tab at the Routing lab's own paper checks (Capacity-Aware Inference on OLMoE), so a reader can see
 * how far the figures here are from the paper's before trusting them. The tab switch is flushed first, so the checks'
 * heading exists to take focus (which also scrolls it into view).
 */
export function PaperChecksLink() {
  const setTab = useAppState((state) => state.setTab);
  return (
    <p className="chart__note">
      <button
        type="button"
        className="text-button"
        onClick={() => {
          flushSync(() => setTab('learn'));
          document.querySelector<HTMLElement>('[data-checks-lab="routing"] h3')?.focus();
        }}
      >
        How this lab compares with the paper: the Routing checks on Learn
      </button>
    </p>
  );
}

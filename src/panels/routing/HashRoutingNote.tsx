import { useAppState } from '../../state/AppStoreContext';

/** Says what the lab's hash routing hashes: token positions, so it is uniform, unlike a real hash layer. */
export function HashRoutingNote() {
  const gating = useAppState((state) => state.scenario.routing.gating);
  if (gating !== 'hash') return null;
  return (
    <p className="chart__note" data-testid="hash-routing-note">
      Hash routing here hashes each token’s position, so it routes uniformly at random and balances in
      expectation. A real hash layer (Roller et al. 2021) hashes the token’s id, so its experts inherit how
      unevenly tokens occur: frequent tokens load their experts more.
    </p>
  );
}

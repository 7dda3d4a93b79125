import { findModelPreset, resolveArchitecture, type Scenario } from '../../core';
import { SourceText } from '../common/SourceText';

const SOURCE =
  'ScMoE §2.2 Eq. 6 (DeepSpeed-MoE’s shared expert: MoE(x) = SE(x) + Σ_i G(x)_i E_i(x)); MoE survey (Cai et al., TKDE 2025) Fig. 3 (shared expert: DeepSeekMoE, Qwen1.5-MoE)';

/**
 * Shared experts take every token without a router (routeStep routes only the n routed experts), so they are never
 * skewed, never over capacity and never in the flow or bars. Saying so keeps a model such as DeepSeek-V3 from
 * reading as if its layer were only the routed experts drawn here.
 */
export function SharedExpertsNote({ scenario }: { scenario: Scenario }) {
  const shared = resolveArchitecture(scenario).sharedExperts;
  if (shared <= 0) return null;
  const modelName = findModelPreset(scenario.model.preset)?.name ?? 'This model';
  const them = shared === 1 ? 'it' : 'them';
  return (
    <p className="chart__note" data-testid="shared-experts-note">
      {modelName} also has {shared === 1 ? '1 shared expert' : `${shared} shared experts`}: every token goes
      to {them} as well as to its routed top-k, so {shared === 1 ? 'it sees' : 'they see'} all T tokens of
      each device, cannot overflow and {shared === 1 ? 'drops' : 'drop'} nothing. Only the routed experts are
      drawn in the flow and the bars and counted in the figures. Source: <SourceText source={SOURCE} />
    </p>
  );
}

import { MODEL_PRESETS } from '../catalog/models';
import { formatValue } from '../format';
import { activeParamsMetric, totalParamsMetric } from '../metrics/model';
import { defaultScenario } from '../scenario/defaults';
import { SHARE_LINK_VERSION, encodeFragment } from '../scenario/shareLink';
import { applyEntries } from '../scenario/validate';
import type { CheckGroup, PaperCheck } from './types';

/** Counting error we accept: biases, norms and rounding in the published totals stay below this. */
const SIZE_TOLERANCE = 0.03;

/**
 * The link that opens a preset with nothing else changed. Where the default EP=8 does not divide the preset's
 * experts (Qwen1.5-MoE has 60), it also carries the EP and DP the validator picks, so it opens without notices.
 */
function presetFragment(modelId: string): string {
  const { scenario } = applyEntries(defaultScenario(), [['model', modelId]]);
  const adjusted = [...new URLSearchParams(encodeFragment(scenario))].filter(
    ([key]) => key !== 'v' && key !== 'model',
  );
  return new URLSearchParams([['v', String(SHARE_LINK_VERSION)], ['model', modelId], ...adjusted]).toString();
}

const MODEL_SIZES: CheckGroup = {
  title: 'Model sizes: published parameter counts',
  setup:
    'Each preset’s architecture as its config or paper gives it (layers, hidden size, attention, experts and ' +
    'their FFN sizes, shared experts, embeddings); the model counts the parameters from it. The published ' +
    'totals are only compared with.',
};

/**
 * Published model sizes against the counts the model derives from each architecture. The published figure is
 * only compared with, never used to compute.
 */
export const MODEL_SIZE_CHECKS: readonly PaperCheck[] = MODEL_PRESETS.flatMap((preset) => {
  const published = preset.published;
  if (!published) return [];
  const fragment = presetFragment(preset.id);
  const checks: PaperCheck[] = [
    {
      id: `size.${preset.id}.total`,
      paper: published.paper,
      group: MODEL_SIZES,
      claim: `${preset.name} has ${formatValue(published.totalParams, 'params')} parameters in total`,
      source: published.source,
      paperFigure: { kind: 'value', value: published.totalParams },
      unit: 'params',
      fragment,
      tolerance: SIZE_TOLERANCE,
      compute: totalParamsMetric,
      ...(published.totalGapExplanation ? { gapExplanation: published.totalGapExplanation } : {}),
    },
  ];
  if (published.activeParams !== undefined) {
    checks.push({
      id: `size.${preset.id}.active`,
      paper: published.paper,
      group: MODEL_SIZES,
      claim: `${preset.name} activates ${published.activeParamsPrinted ?? formatValue(published.activeParams, 'params')} parameters per token`,
      source: published.source,
      paperFigure: {
        kind: 'value',
        value: published.activeParams,
        ...(published.activeParamsPrinted ? { printed: published.activeParamsPrinted } : {}),
      },
      unit: 'params',
      fragment,
      tolerance: SIZE_TOLERANCE,
      compute: activeParamsMetric,
      ...(published.activeGapExplanation ? { gapExplanation: published.activeGapExplanation } : {}),
    });
  }
  return checks;
});

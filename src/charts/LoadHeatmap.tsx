import { useCallback, useMemo } from 'react';
import { formatInput, formatValue } from '../core/format';
import { GridHeatmap } from './GridHeatmap';

interface Props {
  /** Per MoE layer, pre-drop pairs per expert. */
  layers: readonly Int32Array[];
  meanLoad: number;
  focusLayer: number;
  onSelectLayer: (layer: number) => void;
  label: string;
}

/** Loads above this multiple of N̄ share the brightest colour. */
const MAX_RATIO = 4;

/**
 * Layers × experts, each cell coloured by its load relative to N̄. Adjacent layers' hot experts line up when layer
 * correlation is high. A click on a row shows that layer.
 */
export function LoadHeatmap({ layers, meanLoad, focusLayer, onSelectLayer, label }: Props) {
  const experts = layers[0]?.length ?? 0;
  const ratios = useMemo(() => {
    const values = new Float64Array(layers.length * experts);
    const mean = Math.max(meanLoad, 1e-9);
    layers.forEach((loads, layer) => {
      for (let expert = 0; expert < experts; expert += 1)
        values[layer * experts + expert] = (loads[expert] ?? 0) / mean;
    });
    return values;
  }, [layers, experts, meanLoad]);
  // The grid holds load / N̄; the data under it gives the pairs too.
  const formatRatio = useCallback(
    (ratio: number) => `${formatValue(ratio, '')}× N̄ (${formatInput(Math.round(ratio * meanLoad), 'pairs')})`,
    [meanLoad],
  );
  return (
    <GridHeatmap
      title={label}
      rows={layers.length}
      columns={experts}
      values={ratios}
      maxValue={MAX_RATIO}
      rowLabel="layer"
      columnLabel="experts"
      legend={`colour = load / N̄ (0 to ${MAX_RATIO}+)`}
      scaleEnds={['0', `${MAX_RATIO}× N̄ or more`]}
      focusRow={focusLayer}
      onSelectRow={onSelectLayer}
      valueName="load"
      formatValue={formatRatio}
      description={`${label}: ${layers.length} layers by ${experts} experts, coloured by load over the mean. Use the Layer shown control to pick a row.`}
    />
  );
}

import { useMemo } from 'react';
import { faultOverhead } from '../../core/checkpoint/overhead';
import type { CheckpointCosts, CheckpointSettings } from '../../core/checkpoint/types';
import { formatValue } from '../../core/format';
import { LineChart } from '../../charts/LineChart';

const SAMPLES = 60;

/**
 * O_ckpt / run time against the checkpoint interval (MoC Eq. 12–13), log-spaced from the shortest interval the
 * persist allows (or a twentieth of the current and optimal ones) to five times past them, with the optimum from
 * Eq. 16 and the current setting marked. Faults come every `jobMtbfHours` (jobMtbf.ts), as in the figures beside it.
 */
export function OverheadCurve({
  costs,
  settings,
  jobMtbfHours,
}: {
  costs: CheckpointCosts;
  settings: CheckpointSettings;
  jobMtbfHours: number;
}) {
  const curve = useMemo(() => {
    const current = faultOverhead(costs, settings, jobMtbfHours);
    const low = Math.max(
      1,
      Math.ceil(current.minIntervalIterations),
      Math.floor(Math.min(settings.intervalIterations, current.optimalIntervalIterations) / 20),
    );
    const high = Math.max(low * 10, settings.intervalIterations * 5, current.optimalIntervalIterations * 5);
    const points = Array.from({ length: SAMPLES }, (_, index) => {
      const interval = low * (high / low) ** (index / (SAMPLES - 1));
      return {
        x: interval,
        y: faultOverhead(costs, { ...settings, intervalIterations: interval }, jobMtbfHours).overheadFraction,
      };
    });
    return {
      points,
      current,
      optimum: faultOverhead(
        costs,
        { ...settings, intervalIterations: current.optimalIntervalIterations },
        jobMtbfHours,
      ),
    };
  }, [costs, settings, jobMtbfHours]);
  return (
    <LineChart
      title="Fault-tolerance overhead against the checkpoint interval"
      series={[{ id: 'overhead', label: 'O_ckpt / run time', points: curve.points }]}
      xLabel="checkpoint interval (iterations, log scale)"
      xName="an interval of"
      yLabel="overhead"
      formatX={(value) => formatValue(value, '')}
      formatY={(value) => formatValue(value, 'fraction')}
      logX
      marks={[
        {
          x: curve.current.optimalIntervalIterations,
          y: curve.optimum.overheadFraction,
          label: `optimum ≈ ${Math.round(curve.current.optimalIntervalIterations)}`,
        },
        { x: settings.intervalIterations, y: curve.current.overheadFraction, label: 'now' },
      ]}
    />
  );
}

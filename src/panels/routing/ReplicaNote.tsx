import { formatInput } from '../../core/format';
import type { ReplicaLoads } from '../../core';

/**
 * Under DP > EP each expert has one replica per EP group, but the flow and the bars sum an expert over every device,
 * so over its replicas: this says so, and gives what one GPU actually receives.
 */
export function ReplicaNote({
  replicas,
  dp,
  devices,
  capacity,
}: {
  replicas: ReplicaLoads;
  /** The scenario's DP degree. */
  dp: number;
  /** Source devices simulated (DP, or a sample of it). */
  devices: number;
  /** C per source device, or 0 with the capacity limit off. */
  capacity: number;
}) {
  const { devicesPerGroup: ep, simulatedGroups: groups, expertsPerGpu } = replicas;
  const pairs = (value: number) => formatInput(Math.round(value), 'pairs');
  const formed =
    groups < replicas.replicas
      ? `the ${devices} simulated devices form ${groups} of its ${replicas.replicas} EP groups`
      : `its ${devices} devices form ${groups} EP groups`;
  const line =
    capacity > 0
      ? `, and the dashed line is their summed capacity (${devices} × C = ${groups} × ${ep} × C)`
      : '';
  // One GPU is fed by its group's EP devices, each sending each of its experts at most C (Capacity-Aware Eq. 6).
  const gpuCapacity =
    capacity > 0
      ? `, against its ${expertsPerGpu === 1 ? '' : `${expertsPerGpu} × `}${ep} × C = ${pairs(expertsPerGpu * ep * capacity)}`
      : '';
  const perGpu = expertsPerGpu === 1 ? 'one expert replica each' : `${expertsPerGpu} expert replicas each`;
  const replica =
    expertsPerGpu > 1 ? `; the busiest single replica, ${pairs(replicas.busiestReplicaPairs)}` : '';
  return (
    <p className="chart__note" data-testid="replica-note">
      DP {dp} is more than EP {ep}: {formed} of {ep} GPUs, and each expert has a replica in every group, fed
      only by that group’s {ep} devices. The flow and the bars merge the replicas: each bar is the sum of an
      expert’s {groups} replicas, about {groups}× what any one GPU receives{line}. Per GPU ({perGpu}), the
      busiest receives {pairs(replicas.busiestGpuPairs)} before the cap{gpuCapacity},{' '}
      {(replicas.busiestGpuPairs / replicas.meanGpuPairs).toFixed(2)}× the mean GPU’s{' '}
      {pairs(replicas.meanGpuPairs)}
      {replica}.
    </p>
  );
}

import { useState } from 'react';
import type { ExpertLoads } from '../../charts/ExpertLoadBars';

function sameCounts(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index += 1) if (a[index] !== b[index]) return false;
  return true;
}

function sameLoads(a: ExpertLoads, b: ExpertLoads): boolean {
  return a === b || (sameCounts(a.preDrop, b.preDrop) && sameCounts(a.kept, b.kept));
}

interface Shown {
  loads: ExpertLoads | null;
  previous: ExpertLoads | null;
}

/**
 * The bars on screen and the ones before them, which they tween from. Loads equal to those shown keep the shown
 * object: a large batch's layer shown arrives first on its own (useRoutingSimulation's preview) and again, the same,
 * with the batch, and the bars must not replay their tween. Previous loads with another expert count are dropped
 * (nothing to tween from).
 */
export function useShownLoads(incoming: ExpertLoads | null): Shown {
  const [shown, setShown] = useState<Shown>({ loads: null, previous: null });
  if (incoming && !(shown.loads && sameLoads(shown.loads, incoming))) {
    const previous =
      shown.loads && shown.loads.preDrop.length === incoming.preDrop.length ? shown.loads : null;
    const next = { loads: incoming, previous };
    // Derived from props during render (React: "storing information from previous renders").
    setShown(next);
    return next;
  }
  return shown;
}

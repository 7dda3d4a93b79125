import { useEffect, useEffectEvent, useMemo, useRef, useState } from 'react';
import type { Metric, RoutingStep, Scenario } from '../../core';
import { createRoutingClient, type RoutingClient } from '../../state/routingClient';

export interface RoutingSimulation {
  /** The latest routed batch, and the one before it (the charts tween from one to the other). */
  current: RoutingStep | null;
  previous: RoutingStep | null;
  /** The current batch's figures over every MoE layer (empty for a single layer). */
  batchMetrics: Metric[];
  computing: boolean;
  error: string | null;
}

interface Answer {
  key: string;
  current: RoutingStep | null;
  previous: RoutingStep | null;
  batchMetrics: Metric[];
  error: string | null;
}

/** The scenario without the view-only focus layer: changing the layer shown needs no new routing. */
function routingKey(scenario: Scenario, customLoads: number[][] | null): string {
  const { layer: _layer, ...routing } = scenario.routing;
  return JSON.stringify({ ...scenario, routing, custom: customLoads ? customLoads.length : 0 });
}

/**
 * Routes the scenario's batch in the routing worker whenever anything but the focus layer changes, keeping the
 * previous result for transitions. It is computing while the latest answer is for an older request.
 */
export function useRoutingSimulation(scenario: Scenario, customLoads: number[][] | null): RoutingSimulation {
  const clientRef = useRef<RoutingClient | null>(null);
  const [answer, setAnswer] = useState<Answer>({
    key: '',
    current: null,
    previous: null,
    batchMetrics: [],
    error: null,
  });
  const key = useMemo(() => routingKey(scenario, customLoads), [scenario, customLoads]);

  useEffect(() => {
    const client = createRoutingClient();
    clientRef.current = client;
    return () => {
      client.dispose();
      clientRef.current = null;
    };
  }, []);

  const route = useEffectEvent((requestKey: string, isCancelled: () => boolean) => {
    const client = clientRef.current ?? createRoutingClient();
    clientRef.current = client;
    client
      .route(scenario, scenario.routing.batch, customLoads)
      .then((result) => {
        if (isCancelled() || !result) return;
        setAnswer((previous) => ({
          key: requestKey,
          current: result.step,
          previous: previous.current,
          batchMetrics: result.batchMetrics,
          error: null,
        }));
      })
      .catch((error: unknown) => {
        if (isCancelled()) return;
        setAnswer((previous) => ({
          ...previous,
          key: requestKey,
          error: error instanceof Error ? error.message : String(error),
        }));
      });
  });

  useEffect(() => {
    let cancelled = false;
    route(key, () => cancelled);
    return () => {
      cancelled = true;
    };
  }, [key]);

  return {
    current: answer.current,
    previous: answer.previous,
    batchMetrics: answer.batchMetrics,
    computing: answer.key !== key,
    error: answer.error,
  };
}

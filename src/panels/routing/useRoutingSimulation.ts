import { useEffect, useEffectEvent, useMemo, useRef, useState } from 'react';
import {
  countParameters,
  resolveArchitecture,
  type Metric,
  type RoutingStep,
  type Scenario,
} from '../../core';
import { createRoutingClient, type RoutingClient } from '../../state/routingClient';
import { worthPreviewing, type RoutedBatch } from '../../state/routingRequest';

export interface RoutingSimulation {
  /** The latest routed batch, and the one before it (the charts tween from one to the other). */
  current: RoutingStep | null;
  previous: RoutingStep | null;
  /** The current batch's figures over every MoE layer (empty for a single layer). */
  batchMetrics: Metric[];
  computing: boolean;
  /**
   * While a large batch is computing, the layer shown already routed for the new settings (its `layers` holds that
   * one layer), or null. It is part of the batch to come: routing a layer depends only on the scenario, the batch
   * and the layer.
   */
  layerPreview: RoutingStep | null;
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

/** The scenario Play moves to next: the same, one batch on. */
function nextBatch(scenario: Scenario): Scenario {
  return { ...scenario, routing: { ...scenario.routing, batch: scenario.routing.batch + 1 } };
}

interface LayerPreview {
  key: string;
  layer: number;
  step: RoutingStep;
}

/** The layer the panel shows: the focus layer, within the model's MoE layers. */
function shownLayer(scenario: Scenario, moeLayers: number): number {
  return Math.max(0, Math.min(scenario.routing.layer, moeLayers - 1));
}

interface Prefetch {
  key: string;
  result: Promise<RoutedBatch | null>;
}

/**
 * Routes the scenario's batch in the routing worker whenever anything but the focus layer changes, keeping the
 * previous result for transitions. It is computing while the latest answer is for an older request.
 *
 * While playing, the next batch is routed as soon as the current one arrives, during the time the current one stays
 * on screen: a large model's batch (DeepSeek-V3: ~0.9 s on two cores) then no longer adds to every step of Play.
 * Any other change supersedes the prefetch, so it never delays an edit by more than a request already running.
 */
export function useRoutingSimulation(
  scenario: Scenario,
  customLoads: number[][] | null,
  playing = false,
  makeClient: () => RoutingClient = createRoutingClient,
): RoutingSimulation {
  const clientRef = useRef<RoutingClient | null>(null);
  const prefetchRef = useRef<Prefetch | null>(null);
  // The first client factory is the one used: a new function each render must not restart the worker.
  const makeClientRef = useRef(makeClient);
  const [answer, setAnswer] = useState<Answer>({
    key: '',
    current: null,
    previous: null,
    batchMetrics: [],
    error: null,
  });
  const [preview, setPreview] = useState<LayerPreview | null>(null);
  const key = useMemo(() => routingKey(scenario, customLoads), [scenario, customLoads]);
  const moeLayers = Math.max(1, countParameters(resolveArchitecture(scenario)).moeLayers);

  useEffect(() => {
    const client = makeClientRef.current();
    clientRef.current = client;
    return () => {
      client.dispose();
      clientRef.current = null;
    };
  }, []);

  const route = useEffectEvent((requestKey: string, isCancelled: () => boolean) => {
    const client = clientRef.current ?? makeClientRef.current();
    clientRef.current = client;
    const prefetched = prefetchRef.current;
    prefetchRef.current = null;
    const usePrefetch = prefetched?.key === requestKey;
    const pending = usePrefetch
      ? prefetched.result
      : client.route(scenario, scenario.routing.batch, customLoads);
    // A large batch's layer shown is routed alone beside it, so its bars and figures come first. Its errors are the
    // batch's too, which reports them.
    if (!usePrefetch && client.routeLayer && worthPreviewing(scenario)) {
      const layer = shownLayer(scenario, moeLayers);
      client
        .routeLayer(scenario, scenario.routing.batch, customLoads, layer)
        .then((step) => {
          if (!isCancelled() && step) setPreview({ key: requestKey, layer, step });
        })
        .catch(() => undefined);
    }
    pending
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

  /** While playing, starts routing the batch after the one just answered, unless something changed meanwhile. */
  const prefetchNext = useEffectEvent((answeredKey: string) => {
    const client = clientRef.current;
    if (!playing || !client || answeredKey !== key) return;
    const next = nextBatch(scenario);
    const nextKey = routingKey(next, customLoads);
    if (prefetchRef.current?.key === nextKey) return;
    const result = client.route(next, next.routing.batch, customLoads);
    // A prefetch nobody uses resolves to null when superseded, or to a batch that is dropped: never an error shown.
    result.catch(() => null);
    prefetchRef.current = { key: nextKey, result };
  });

  // Each answer while playing (and pressing Play on a batch already on screen) starts the next batch at once.
  const answeredKey = answer.key;
  useEffect(() => {
    if (playing) prefetchNext(answeredKey);
  }, [playing, answeredKey]);

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
    layerPreview:
      answer.key !== key && preview?.key === key && preview.layer === shownLayer(scenario, moeLayers)
        ? preview.step
        : null,
  };
}

import { useRef } from 'react';
import { findModelPreset, nativeRouterEntries, nativeRouterOf, routesNatively } from '../../core';
import { useAppState } from '../../state/AppStoreContext';
import { SourceText } from '../common/SourceText';

/**
 * The chosen model's own router, with a button that selects it: picking a model does not change the gating, so a
 * comparison across models keeps its router, but a learner can see (and switch to) how the model really routes.
 */
export function NativeRouterHint() {
  const scenario = useAppState((state) => state.scenario);
  const setFields = useAppState((state) => state.setFields);
  // The button disappears once used, so focus moves to the hint (which then says so) rather than to the page.
  const hint = useRef<HTMLDivElement>(null);
  const modelName = findModelPreset(scenario.model.preset)?.name ?? scenario.model.preset;
  const router = nativeRouterOf(scenario.model.preset);
  if (!router) {
    return (
      <p className="native-router">
        Our sources do not spell out {modelName}’s own router, so no gating is marked as its own.
      </p>
    );
  }
  const native = routesNatively(scenario, router);
  // The gating is the model's; the capacity limit set below is Capacity-Aware Inference's remedy, which the model
  // itself may not use (DeepSeek-V3 drops nothing): said where a limit is on, so "as it does" is not read as all of it.
  const limited = scenario.routing.capacity !== 'off';
  return (
    <div className="native-router" data-native={native} ref={hint} tabIndex={-1} aria-live="polite">
      <p>
        {native ? (
          <>
            <span aria-hidden="true">✓ </span>Gating as {modelName} does:{' '}
          </>
        ) : (
          <>{modelName}’s own router: </>
        )}
        {router.summary}
      </p>
      {router.dropping && limited ? (
        <p>
          {router.dropping} The capacity limit below is Capacity-Aware Inference’s remedy, applied on top.
        </p>
      ) : null}
      {native ? null : (
        <button
          type="button"
          onClick={() => {
            setFields(nativeRouterEntries(router));
            hint.current?.focus();
          }}
        >
          Use {modelName}’s router
        </button>
      )}
      <p className="field__source">
        Source: <SourceText source={router.source} />
      </p>
    </div>
  );
}

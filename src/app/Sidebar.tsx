import { FIELDS, SECTIONS, findGpuPreset, findModelPreset, isChanged, type SectionId } from '../core';
import { useAppState } from '../state/AppStoreContext';
import { useMediaQuery } from '../state/mediaQuery';
import { ConnectedField } from './ConnectedField';
import { SourceText } from '../panels/common/SourceText';

/** The width below which the layout is one column (styles.css): the settings then fold away under the labs. */
export const NARROW_LAYOUT = '(max-width: 800px)';

/** Fields that refine a preset sit in a collapsible group under the preset picker. */
const REFINEMENT_GROUP: Partial<Record<SectionId, { prefix: string; title: string }>> = {
  model: { prefix: 'model.', title: 'Architecture' },
  hardware: { prefix: 'gpu.', title: 'GPU figures' },
};

function PresetSource({ section }: { section: SectionId }) {
  const modelPreset = useAppState((state) => state.scenario.model.preset);
  const gpuPreset = useAppState((state) => state.scenario.hardware.gpu);
  const source =
    section === 'model'
      ? findModelPreset(modelPreset)?.source
      : section === 'hardware'
        ? findGpuPreset(gpuPreset)?.source
        : undefined;
  const notes = section === 'model' ? findModelPreset(modelPreset)?.notes : undefined;
  if (!source) return null;
  return (
    <p className="preset-source">
      Source: <SourceText source={source} />
      {notes ? ` — ${notes}` : ''}
    </p>
  );
}

function SectionFields({ section }: { section: SectionId }) {
  const group = REFINEMENT_GROUP[section];
  const fields = FIELDS.filter((field) => field.section === section);
  const refinements = group ? fields.filter((field) => field.key.startsWith(group.prefix)) : [];
  const others = fields.filter((field) => !refinements.includes(field));
  const [presetField, ...rest] = group ? others : [undefined, ...others];
  const changedCount = useAppState(
    (state) => refinements.filter((field) => isChanged(state.scenario, field)).length,
  );
  return (
    <>
      {presetField ? <ConnectedField field={presetField} /> : null}
      {group ? <PresetSource section={section} /> : null}
      {group ? (
        <details className="refinements">
          <summary>
            {group.title}
            {changedCount > 0 ? ` (${changedCount} changed)` : ''}
          </summary>
          {refinements.map((field) => (
            <ConnectedField key={field.key} field={field} />
          ))}
        </details>
      ) : null}
      {rest.map((field) => (field ? <ConnectedField key={field.key} field={field} /> : null))}
    </>
  );
}

/** The scenario in a few words, for the folded settings on a narrow screen: "Mixtral 8×7B · 8 × NVIDIA H100 …". */
function ScenarioAtAGlance() {
  const modelPreset = useAppState((state) => state.scenario.model.preset);
  const gpuPreset = useAppState((state) => state.scenario.hardware.gpu);
  const dp = useAppState((state) => state.scenario.parallelism.dp);
  const tp = useAppState((state) => state.scenario.parallelism.tp);
  const model = findModelPreset(modelPreset)?.name ?? 'custom model';
  const gpu = findGpuPreset(gpuPreset)?.name ?? 'custom GPU';
  return (
    <span className="sidebar__glance">
      {model} · {dp * Math.max(1, tp)} × {gpu}
    </span>
  );
}

/**
 * The scenario's settings. On a wide screen they sit beside the labs; on a narrow one (a phone) they fold into a
 * disclosure above them, so a link opens on its lab rather than on a page of settings.
 */
export function Sidebar() {
  const resetScenario = useAppState((state) => state.resetScenario);
  const narrow = useMediaQuery(NARROW_LAYOUT);
  const settings = (
    <>
      {SECTIONS.map((section) => (
        <fieldset key={section.id} className="sidebar__section" data-section={section.id}>
          <legend>{section.label}</legend>
          <SectionFields section={section.id} />
        </fieldset>
      ))}
      <button type="button" className="sidebar__reset" onClick={resetScenario}>
        Reset to defaults
      </button>
    </>
  );
  return (
    <aside className="sidebar" aria-label="Scenario">
      {narrow ? (
        <details className="sidebar__fold">
          <summary>
            <span className="sidebar__title">Scenario settings</span>
            <ScenarioAtAGlance />
          </summary>
          {settings}
        </details>
      ) : (
        <>
          <h2 className="sidebar__title">Scenario</h2>
          {settings}
        </>
      )}
    </aside>
  );
}

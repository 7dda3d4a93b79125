import {
  FIELDS,
  SECTIONS,
  findGpuPreset,
  findModelPreset,
  isChanged,
  readField,
  type Field,
  type SectionId,
} from '../core';
import { useAppState } from '../state/AppStoreContext';
import { useMediaQuery } from '../state/mediaQuery';
import { FieldControl } from './FieldControl';
import { SourceText } from '../panels/common/SourceText';

/** The width below which the layout is one column (styles.css): the settings then fold away under the labs. */
export const NARROW_LAYOUT = '(max-width: 800px)';

/** Fields that refine a preset sit in a collapsible group under the preset picker. */
const REFINEMENT_GROUP: Partial<Record<SectionId, { prefix: string; title: string }>> = {
  model: { prefix: 'model.', title: 'Architecture' },
  hardware: { prefix: 'gpu.', title: 'GPU figures' },
};

function ConnectedField({ field }: { field: Field }) {
  const scenario = useAppState((state) => state.scenario);
  const setField = useAppState((state) => state.setField);
  const resetField = useAppState((state) => state.resetField);
  const overridden = field.presetDefault !== undefined && isChanged(scenario, field);
  return (
    <FieldControl
      field={field}
      value={readField(scenario, field)}
      overridden={overridden}
      onCommit={(raw, options) => setField(field.key, raw, options)}
      {...(field.presetDefault ? { onReset: () => resetField(field.key) } : {})}
    />
  );
}

function PresetSource({ section }: { section: SectionId }) {
  const scenario = useAppState((state) => state.scenario);
  const source =
    section === 'model'
      ? findModelPreset(scenario.model.preset)?.source
      : section === 'hardware'
        ? findGpuPreset(scenario.hardware.gpu)?.source
        : undefined;
  const notes = section === 'model' ? findModelPreset(scenario.model.preset)?.notes : undefined;
  if (!source) return null;
  return (
    <p className="preset-source">
      Source: <SourceText source={source} />
      {notes ? ` — ${notes}` : ''}
    </p>
  );
}

function SectionFields({ section }: { section: SectionId }) {
  const scenario = useAppState((state) => state.scenario);
  const group = REFINEMENT_GROUP[section];
  const fields = FIELDS.filter((field) => field.section === section);
  const refinements = group ? fields.filter((field) => field.key.startsWith(group.prefix)) : [];
  const others = fields.filter((field) => !refinements.includes(field));
  const [presetField, ...rest] = group ? others : [undefined, ...others];
  const changedCount = refinements.filter((field) => isChanged(scenario, field)).length;
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
  const scenario = useAppState((state) => state.scenario);
  const model = findModelPreset(scenario.model.preset)?.name ?? 'custom model';
  const gpu = findGpuPreset(scenario.hardware.gpu)?.name ?? 'custom GPU';
  const { dp, tp } = scenario.parallelism;
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

import {
  FIELD_KEYS,
  GPU_PRESETS,
  LINK_PRESETS,
  MODEL_PRESETS,
  PAPER_CHECKS,
  applyEntries,
  decodeFragment,
  defaultScenario,
  encodeFragment,
  linkView,
  type LinkView,
  DEFAULT_TAB,
  tabFromLink,
  evaluatePaperChecks,
  formatPaperFigure,
  type CheckVerdict,
  type ValidationMessage,
  verdictDetail,
} from '../core';
import { formatMetric, formatValue } from '../core/format';
import { checkpointTraceJson } from '../core/checkpoint/checkpointTrace';
import type { Metric } from '../core/metric';
import { routingNotes } from './routingNotes';
import { scenarioFigures } from './scenarioFigures';
import {
  MAX_SWEEP_POINTS,
  parseSweepAxis,
  runSweep,
  sweepColumns,
  sweepCsv,
  sweepJson,
  sweepSize,
  type SweepAxis,
} from './sweep';

/** A verdict in four letters, so the claims line up in a terminal. */
const CLI_VERDICT_TAG: Record<CheckVerdict, string> = { meets: 'ok  ', close: 'near', outside: 'gap ' };

/** A file the command asks for (`--trace`): the Node entry writes it, so runSim stays a pure function. */
export interface CliFile {
  path: string;
  contents: string;
  /** What the file is, for the line the Node entry prints once it is written. */
  description: string;
}

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  files?: CliFile[];
}

export const USAGE = `Usage: npm run --silent sim -- [--preset ID] [--hash FRAGMENT] [--set key=value ...]
                               [--all-layers] [--metrics ID,...] [--json] [--trace FILE]
       npm run --silent sim -- [--preset ID] [--hash FRAGMENT] [--set key=value ...]
                               --sweep key=v1,v2,... [--sweep key=start:stop:step] [--metrics ID,...] [--json]
       npm run --silent sim -- --list-presets [--json]

  --preset ID       start from a model preset (see --list-presets) or a paper check's scenario
  --hash FRAGMENT   start from a share link's fragment (the part after #)
  --set key=value   change one setting; repeat for more
  --all-layers      route every MoE layer and add the whole-batch figures the Routing tab shows (routing.batch.*);
                    without it only the layer shown is routed, which is faster
  --metrics ID,...  print only these metrics (ids as in --json's metrics: checkpoint.overheadFraction, …)
  --sweep key=...   run the scenario once per value (v1,v2,… or start:stop:step, stop included) and print one CSV
                    row per run: the values, each metric's value in its unit, flags, notes and the run's link;
                    a second --sweep makes a grid (the first key outermost); at most ${MAX_SWEEP_POINTS} runs
  --json            print one JSON document instead of a table (or of the sweep's CSV)
  --trace FILE      also write the Checkpointing lab's run to FILE as a Chrome trace (Perfetto, chrome://tracing),
                    the same file the lab's Export trace button downloads for this link
  --list-presets    list model, GPU and link presets with their sources`;

function validKeysText(): string {
  return `Valid keys: ${FIELD_KEYS.join(', ')}`;
}

function fail(message: string, withKeys = false): CliResult {
  return { exitCode: 2, stdout: '', stderr: `${message}\n${withKeys ? `${validKeysText()}\n` : ''}` };
}

function listPresets(json: boolean): CliResult {
  const presets = {
    models: MODEL_PRESETS.map(({ id, name, source, published, notes }) => ({
      id,
      name,
      source,
      published,
      notes,
    })),
    gpus: GPU_PRESETS.map(({ id, name, spec, source }) => ({ id, name, spec, source })),
    links: LINK_PRESETS,
    paperChecks: PAPER_CHECKS.map(({ id, claim, fragment }) => ({ id, claim, fragment })),
  };
  if (json) return { exitCode: 0, stdout: `${JSON.stringify(presets, null, 2)}\n`, stderr: '' };
  const lines = [
    'Models:',
    ...presets.models.map((model) => `  ${model.id.padEnd(20)} ${model.name}  [${model.source}]`),
    'GPUs:',
    ...presets.gpus.map((gpu) => `  ${gpu.id.padEnd(20)} ${gpu.name}  [${gpu.source}]`),
  ];
  return { exitCode: 0, stdout: `${lines.join('\n')}\n`, stderr: '' };
}

/** Errors that mean the input could not be read as asked; clamps and combination fixes are only reported. */
function isUnreadable(message: ValidationMessage): boolean {
  return message.kind === 'unknown-key' || message.kind === 'invalid';
}

/**
 * Refuses settings given on the command line that cannot be read. The validator's words are the app's, which goes on
 * without the setting ("ignored it", "kept the previous value"); here nothing runs, so they are put that way.
 */
function refuse(unreadable: readonly ValidationMessage[]): CliResult {
  const reasons = unreadable.map((message) =>
    message.message.replace(/; (ignored it|kept the previous value)\./, '.'),
  );
  return fail(`Nothing was run: ${reasons.join('\n')}`, true);
}

/** The command line, as a pure function of its arguments (the Node entry only prints and exits). */
export function runSim(argv: readonly string[]): CliResult {
  let json = false;
  let list = false;
  let allLayers = false;
  let preset: string | undefined;
  let hash: string | undefined;
  let tracePath: string | undefined;
  const sets: [string, string][] = [];
  const axes: SweepAxis[] = [];
  let wantedMetrics: string[] | undefined;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    const needValue = (): string | undefined => {
      index += 1;
      return argv[index];
    };
    if (arg === '--json') json = true;
    else if (arg === '--all-layers') allLayers = true;
    else if (arg === '--list-presets') list = true;
    else if (arg === '--help' || arg === '-h') return { exitCode: 0, stdout: `${USAGE}\n`, stderr: '' };
    else if (arg === '--preset') {
      preset = needValue();
      if (preset === undefined) return fail('--preset needs a preset id.');
    } else if (arg === '--hash') {
      hash = needValue();
      if (hash === undefined) return fail('--hash needs a fragment.');
    } else if (arg === '--trace') {
      tracePath = needValue();
      if (tracePath === undefined || tracePath === '') return fail('--trace needs a file to write.');
    } else if (arg === '--set') {
      const pair = needValue();
      const at = pair?.indexOf('=') ?? -1;
      if (pair === undefined || at <= 0) return fail(`--set needs key=value, got "${pair ?? ''}".`, true);
      sets.push([pair.slice(0, at), pair.slice(at + 1)]);
    } else if (arg === '--sweep') {
      const axis = parseSweepAxis(needValue() ?? '');
      if (typeof axis === 'string') return fail(axis, axis.startsWith('--sweep needs'));
      if (axes.length === 2) return fail('At most two --sweep options (a 2-D grid).');
      if (axes.some((other) => other.key === axis.key)) return fail(`--sweep ${axis.key} is given twice.`);
      axes.push(axis);
    } else if (arg === '--metrics') {
      const ids = (needValue() ?? '').split(',').map((id) => id.trim());
      if (ids.some((id) => id === '')) return fail('--metrics needs metric ids separated by commas.');
      wantedMetrics = ids;
    } else return fail(`Unknown option "${arg}".\n${USAGE}`);
  }
  if (list && tracePath !== undefined)
    return fail("--trace writes a scenario's run; --list-presets has none.");
  if (list) return listPresets(json);
  if (axes.length > 0 && tracePath !== undefined)
    return fail('--trace writes one run; give the point as --set instead of --sweep.');
  if (sweepSize(axes) > MAX_SWEEP_POINTS)
    return fail(`The sweep has ${sweepSize(axes)} runs; at most ${MAX_SWEEP_POINTS}.`);

  const messages: ValidationMessage[] = [];
  let scenario = defaultScenario();
  /** The lab the printed link opens on: the one the paper check or the given link named. */
  let view: LinkView = {};
  if (preset !== undefined) {
    // A preset's own adjustments (EP=8 does not divide Qwen1.5-MoE's 60 experts) are reported like any other.
    const check = PAPER_CHECKS.find((candidate) => candidate.id === preset);
    const chosen = check
      ? decodeFragment(check.fragment)
      : MODEL_PRESETS.some((model) => model.id === preset)
        ? applyEntries(scenario, [['model', preset]])
        : undefined;
    if (!chosen)
      return fail(
        `Unknown preset "${preset}". Valid presets: ${MODEL_PRESETS.map((model) => model.id).join(', ')} (or a paper check id from --list-presets).`,
      );
    scenario = chosen.scenario;
    messages.push(...chosen.messages);
    if (check) view = linkView(check.fragment);
  }
  if (hash !== undefined) {
    // A link opens as the app opens it: what it gets wrong is fixed and reported, never refused.
    // On its own it opens fresh, as in the app (a value it gets wrong falls back to the default); after --preset, on it.
    const decoded = decodeFragment(hash, preset === undefined ? undefined : scenario);
    scenario = decoded.scenario;
    const lab = tabFromLink(linkView(hash).lab);
    const { lab: _asked, ...rest } = linkView(hash);
    view = { ...view, ...rest, ...(lab.tab === DEFAULT_TAB ? {} : { lab: lab.tab }) };
    messages.push(...decoded.messages, ...lab.messages);
  }
  if (sets.length > 0) {
    const applied = applyEntries(scenario, sets);
    scenario = applied.scenario;
    // A --set typed on the command line that cannot be read is refused: running without it would answer another
    // question than the one asked.
    const unreadable = applied.messages.filter(isUnreadable);
    if (unreadable.length > 0) return refuse(unreadable);
    messages.push(...applied.messages);
  }

  if (wantedMetrics !== undefined) {
    // Checked on the scenario before any sweep runs, so a mistyped id costs no time.
    const known = new Set(scenarioFigures(scenario, allLayers).metrics.map((metric) => metric.id));
    const unknown = wantedMetrics.filter((id) => !known.has(id));
    if (unknown.length > 0)
      return fail(
        `Unknown metric ${unknown.map((id) => `"${id}"`).join(', ')}. Metrics: ${[...known].join(', ')}.`,
      );
  }
  if (axes.length > 0) {
    const sweep = runSweep(scenario, axes, allLayers, view);
    if ('unreadable' in sweep) return refuse(sweep.unreadable);
    const { points } = sweep;
    const columns = sweepColumns(points, wantedMetrics);
    const notes = messages.map((message) => `note: ${message.message}\n`).join('');
    return json
      ? { exitCode: 0, stdout: sweepJson(axes, points, columns), stderr: notes }
      : { exitCode: 0, stdout: sweepCsv(axes, points, columns), stderr: notes };
  }

  const { metrics: allMetrics, run } = scenarioFigures(scenario, allLayers);
  const metrics: Metric[] =
    wantedMetrics === undefined
      ? allMetrics
      : allMetrics.filter((metric) => wantedMetrics.includes(metric.id));
  const paperChecks = evaluatePaperChecks().map((result) => ({ ...result }));
  const fragment = encodeFragment(scenario, view);
  // The trace names the link that opens its run in the Checkpointing lab, as the lab's own export does.
  const files: CliFile[] =
    tracePath === undefined
      ? []
      : [
          {
            path: tracePath,
            contents: checkpointTraceJson({
              scenario,
              run,
              link: encodeFragment(scenario, { lab: 'checkpointing' }),
            }),
            description: 'Chrome trace of the checkpointing run',
          },
        ];
  const withFiles = files.length > 0 ? { files } : {};
  if (json) {
    const document = { scenario, fragment, messages, notes: routingNotes(scenario), metrics, paperChecks };
    return { exitCode: 0, stdout: `${JSON.stringify(document, null, 2)}\n`, stderr: '', ...withFiles };
  }
  const width = Math.max(...metrics.map((metric) => metric.label.length));
  const lines = [
    `Scenario #${fragment}`,
    ...messages.map((message) => `note: ${message.message}`),
    ...routingNotes(scenario).map((note) => `note: ${note}`),
    '',
    ...metrics.map(
      // A warning goes last, after the formula, so the value column stays aligned.
      (metric) =>
        `${metric.label.padEnd(width)}  ${formatMetric(metric).padEnd(16)} ${metric.formula}${metric.flag ? `  — ${metric.flag}` : ''}`,
    ),
    '',
    // ok: meets the claim as printed; near: misses it within the check's tolerance; gap: outside the tolerance.
    'Paper checks (verdict claim: paper reports / model gives / why):',
    ...paperChecks.map(
      (check) =>
        `  ${CLI_VERDICT_TAG[check.verdict]} ${check.claim}: ${formatPaperFigure(check.paperFigure, check.unit)} / ${formatValue(check.modelValue, check.unit)} / ${verdictDetail(check)}`,
    ),
  ];
  return { exitCode: 0, stdout: `${lines.join('\n')}\n`, stderr: '', ...withFiles };
}

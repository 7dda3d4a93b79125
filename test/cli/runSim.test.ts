import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { USAGE, runSim } from '../../src/cli/runSim';
import { GPU_PRESETS, LINK_PRESETS } from '../../src/core/catalog/hardware';
import { MODEL_PRESETS } from '../../src/core/catalog/models';
import { PAPER_CHECKS, evaluatePaperChecks } from '../../src/core/checks/registry';
import type { Metric } from '../../src/core/metric';
import { summaryMetrics } from '../../src/core/metrics/summary';
import { routeStep } from '../../src/core/routing/routeStep';
import { routingMetrics } from '../../src/core/routing/metrics';
import { routingSummaryMetrics } from '../../src/core/routing/summaryMetrics';
import { checkpointTraceJson } from '../../src/core/checkpoint/checkpointTrace';
import { checkpointCosts } from '../../src/core/checkpoint/costs';
import { checkpointMetrics } from '../../src/core/checkpoint/metrics';
import { simulateRun } from '../../src/core/checkpoint/run';
import { runMetrics } from '../../src/core/checkpoint/runMetrics';
import { FIELD_KEYS } from '../../src/core/scenario/fields';
import { decodeFragment, encodeFragment } from '../../src/core/scenario/shareLink';
import type { Scenario, ValidationMessage } from '../../src/core/scenario/types';
import { validateScenario } from '../../src/core/scenario/validate';

interface JsonDocument {
  scenario: Scenario;
  fragment: string;
  messages: ValidationMessage[];
  notes: string[];
  metrics: Metric[];
  paperChecks: {
    id: string;
    modelValue: number;
    gap: number;
    verdict: string;
    withinTolerance: boolean;
  }[];
}

function runJson(args: string[]): JsonDocument {
  const result = runSim([...args, '--json']);
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return JSON.parse(result.stdout) as JsonDocument;
}

function metricValues(metrics: readonly Metric[]): Record<string, number> {
  return Object.fromEntries(metrics.map((metric) => [metric.id, metric.value]));
}

function expectUsageError(args: string[], mentions: string[]): string {
  const result = runSim(args);
  expect(result.exitCode).toBe(2);
  expect(result.stdout).toBe('');
  for (const text of mentions) expect(result.stderr).toContain(text);
  return result.stderr;
}

describe('runSim --json', () => {
  it('prints one document with scenario, fragment, messages, notes, metrics and paper checks', () => {
    const document = runJson([]);
    expect(Object.keys(document).sort()).toEqual([
      'fragment',
      'messages',
      'metrics',
      'notes',
      'paperChecks',
      'scenario',
    ]);
    expect(document.fragment).toBe('v=1');
    expect(document.messages).toEqual([]);
    // Mixtral routes with the lab's default gating, which is its own (softmax top-2 renormalised): nothing to say.
    expect(document.notes).toEqual([]);
    // The scenario in the document is a valid scenario as it stands.
    expect(validateScenario(document.scenario)).toEqual({ scenario: document.scenario, messages: [] });
    // The summary's metrics, then the Routing tab's for the scenario's batch and layer.
    const routing = routingMetrics(
      document.scenario,
      routeStep(document.scenario, document.scenario.routing.batch),
      document.scenario.routing.layer,
    );
    const checkpoint = [
      ...checkpointMetrics(document.scenario),
      ...runMetrics(
        simulateRun(document.scenario, checkpointCosts(document.scenario)),
        document.scenario.checkpoint,
      ),
    ];
    expect(document.metrics.map((metric) => metric.id)).toEqual(
      [...summaryMetrics(document.scenario), ...routing, ...checkpoint].map((metric) => metric.id),
    );
    for (const metric of document.metrics) {
      expect(typeof metric.value, metric.id).toBe('number');
      expect(Number.isFinite(metric.value), metric.id).toBe(true);
      expect(typeof metric.unit, metric.id).toBe('string');
      expect(metric.formula.length, metric.id).toBeGreaterThan(0);
      expect(metric.source.length, metric.id).toBeGreaterThan(0);
      expect(metric.inputs.length, metric.id).toBeGreaterThan(0);
      for (const item of metric.inputs)
        expect(Number.isFinite(item.value), `${metric.id}.${item.symbol}`).toBe(true);
    }
    expect(document.paperChecks.map((check) => check.id)).toEqual(PAPER_CHECKS.map((check) => check.id));
    expect(document.paperChecks).toEqual(JSON.parse(JSON.stringify(evaluatePaperChecks())));
  });

  it('the document fragment reproduces the document scenario', () => {
    const document = runJson(['--set', 'ep=4', '--set', 'mode=decode', '--set', 'model.topK=1']);
    expect(document.fragment).toBe('v=1&model.topK=1&ep=4&mode=decode');
    expect(decodeFragment(document.fragment)).toEqual({ scenario: document.scenario, messages: [] });
    expect(encodeFragment(document.scenario)).toBe(document.fragment);
  });

  it('--hash gives the same metric values as decodeFragment + summaryMetrics', () => {
    for (const fragment of [
      'v=1&model=deepseek-v3&gpu=h800&ep=64&dp=64&batch=1024',
      '#v=1&model=olmoe-1b-7b&mode=decode&batch=8&zero=3',
      'v=1&model=qwen3-235b-a22b&tp=4&dp=16&ep=16&precision=fp8',
    ]) {
      const document = runJson(['--hash', fragment]);
      const decoded = decodeFragment(fragment);
      expect(document.scenario).toEqual(decoded.scenario);
      // Routing only the focus layer gives that layer's full-run counts (test/core/routing/routeStep.test.ts).
      const routed = routeStep(decoded.scenario, decoded.scenario.routing.batch, {
        layers: [decoded.scenario.routing.layer],
      });
      expect(metricValues(document.metrics)).toEqual(
        metricValues([
          ...summaryMetrics(decoded.scenario),
          ...routingMetrics(decoded.scenario, routed, 0),
          ...checkpointMetrics(decoded.scenario),
          ...runMetrics(
            simulateRun(decoded.scenario, checkpointCosts(decoded.scenario)),
            decoded.scenario.checkpoint,
          ),
        ]),
      );
      expect(document.messages).toEqual(decoded.messages);
    }
  });

  it('--all-layers adds the whole batch’s figures over every MoE layer, as the Routing tab shows them', () => {
    const fragment = 'v=1&model=deepseek-v2-lite&routing.tokensPerDevice=32&routing.batch=2&routing.layer=5';
    const layerOnly = runJson(['--hash', fragment]);
    const whole = runJson(['--hash', fragment, '--all-layers']);
    const { scenario } = decodeFragment(fragment);
    const step = routeStep(scenario, 2);
    const routing = (metrics: { id: string; value: number }[]) =>
      metrics
        .filter((metric) => metric.id.startsWith('routing.'))
        .map((metric) => `${metric.id}=${metric.value}`);
    const layerFigures = routingMetrics(scenario, step, 5).map((metric) => `${metric.id}=${metric.value}`);
    const batchFigures = routingSummaryMetrics(scenario, step).map(
      (metric) => `${metric.id}=${metric.value}`,
    );
    expect(routing(layerOnly.metrics)).toEqual(layerFigures);
    expect(routing(whole.metrics)).toEqual([...layerFigures, ...batchFigures]);
    expect(batchFigures[0]).toMatch(/^routing\.batch\./);
  });

  it('--set applies after --hash, and --hash after --preset', () => {
    const document = runJson(['--preset', 'deepseek-v3', '--hash', 'v=1&batch=64', '--set', 'batch=32']);
    expect(document.scenario.model.preset).toBe('deepseek-v3');
    expect(document.scenario.workload.batchSize).toBe(32);
  });
});

describe('runSim --preset', () => {
  it('starts from a model preset', () => {
    const document = runJson(['--preset', 'olmoe-1b-7b']);
    expect(document.scenario.model).toEqual({ preset: 'olmoe-1b-7b', overrides: {} });
    expect(document.fragment).toBe('v=1&model=olmoe-1b-7b');
    const total = document.metrics.find((metric) => metric.id === 'totalParams')?.value ?? 0;
    expect(Math.abs(total / 6.9e9 - 1)).toBeLessThan(0.03);
  });

  it("starts from a paper check's scenario", () => {
    const check = PAPER_CHECKS.find((candidate) => candidate.id === 'size.deepseek-v3.total');
    if (!check) throw new Error('missing check');
    const document = runJson(['--preset', check.id]);
    expect(document.scenario).toEqual(decodeFragment(check.fragment).scenario);
    expect(document.scenario.model.preset).toBe('deepseek-v3');
  });

  it('prints a link that opens the lab the paper check or the given link named', () => {
    expect(runJson(['--preset', 'checkpoint.moc-async.case1.saveReduction']).fragment).toMatch(
      /&lab=checkpointing$/,
    );
    const routed = runJson(['--hash', 'v=1&seed=3&lab=routing']);
    expect(routed.messages).toEqual([]);
    expect(routed.fragment).toBe('v=1&seed=3&lab=routing');
    expect(runJson(['--preset', 'deepseek-v3']).fragment).toBe('v=1&model=deepseek-v3');
  });

  it("reports the adjustments a preset needs (EP=8 does not divide Qwen1.5-MoE's 60 experts)", () => {
    const document = runJson(['--preset', 'qwen1.5-moe-a2.7b']);
    // EP=4 divides both the 60 experts and DP=8: the cluster keeps its size, so DP needs no change.
    expect(document.scenario.parallelism.ep).toBe(4);
    expect(document.scenario.parallelism.dp).toBe(8);
    expect(document.messages.map((message) => [message.kind, message.key])).toEqual([['combination', 'ep']]);
  });

  it('rejects an unknown preset and lists the valid ones', () => {
    expectUsageError(['--preset', 'gpt-5'], ['Unknown preset "gpt-5"', 'mixtral-8x7b', 'deepseek-v3']);
    expectUsageError(['--preset'], ['--preset needs a preset id']);
  });
});

describe('runSim input errors exit 2', () => {
  it('an unknown --set key names the valid keys', () => {
    const stderr = expectUsageError(['--set', 'experts=4'], ['"experts" is not a setting', 'Valid keys:']);
    for (const key of FIELD_KEYS) expect(stderr).toContain(key);
  });

  it('a value that is not a number', () => {
    expectUsageError(
      ['--set', 'ep=abc'],
      ['Expert parallel (EP) (ep)', '"abc" is not a number', 'Valid keys:'],
    );
    expectUsageError(['--set', 'model=gpt-5'], ['"gpt-5" is not one of']);
    expectUsageError(['--set', 'model.gatedFfn=maybe'], ['is not true or false']);
  });

  it('--set without key=value', () => {
    expectUsageError(['--set', 'ep'], ['--set needs key=value, got "ep"', 'Valid keys:']);
    expectUsageError(['--set', '=4'], ['--set needs key=value']);
    expectUsageError(['--set'], ['--set needs key=value, got ""']);
  });

  it('an unknown option prints the usage', () => {
    expectUsageError(['--frobnicate'], ['Unknown option "--frobnicate"', 'Usage:']);
    expectUsageError(['deepseek-v3'], ['Unknown option "deepseek-v3"']);
    expectUsageError(['--hash'], ['--hash needs a fragment']);
  });

  it('a --set that cannot be read: nothing runs, and the message says so', () => {
    const unknown = expectUsageError(
      ['--set', 'nonsense=1'],
      ['Nothing was run', '"nonsense" is not a setting'],
    );
    expect(unknown).not.toContain('ignored it');
    const unreadable = expectUsageError(['--set', 'batch=NaN'], ['Nothing was run', '"NaN" is not a number']);
    expect(unreadable).not.toContain('kept the previous value');
  });
});

describe('runSim opens a link as the app does', () => {
  it('fixes what a link gets wrong and reports it, as the app’s banner does', () => {
    for (const fragment of ['v=1&nonsense=1', 'v=1&batch=NaN', '%%%']) {
      const document = runJson(['--hash', fragment]);
      const opened = decodeFragment(fragment);
      expect(document.scenario).toEqual(opened.scenario);
      expect(document.messages.map((message) => message.message)).toEqual(
        opened.messages.map((message) => message.message),
      );
      expect(document.messages.length).toBeGreaterThan(0);
    }
  });

  it('opens an unknown lab on the Summary, says so, and leaves it out of the link', () => {
    const document = runJson(['--hash', 'v=1&ep=4&lab=nonexistent']);
    expect(document.fragment).toBe('v=1&ep=4');
    expect(document.messages.map((message) => message.message).join(' ')).toContain(
      'does not have; opened the Summary',
    );
  });
});

describe('runSim reports but accepts what it could fix', () => {
  it('clamped values exit 0 with messages', () => {
    const result = runSim(['--set', 'batch=0', '--set', 'model.layers=9999', '--json']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    const document = JSON.parse(result.stdout) as JsonDocument;
    expect(document.scenario.workload.batchSize).toBe(1);
    expect(document.scenario.model.overrides.layers).toBe(256);
    expect(document.messages.map((message) => [message.kind, message.key])).toEqual([
      ['clamped', 'batch'],
      ['clamped', 'model.layers'],
    ]);
  });

  it('impossible combinations exit 0 with messages', () => {
    const document = runJson(['--set', 'gpu=a100', '--set', 'precision=fp8', '--set', 'ep=3']);
    expect(document.scenario.workload.precision).toBe('bf16');
    expect(document.scenario.parallelism.ep).toBe(2);
    expect(document.messages.every((message) => message.kind === 'combination')).toBe(true);
    expect(document.messages).toHaveLength(2);
  });

  it('a link of another version exits 0 with a note', () => {
    const document = runJson(['--hash', 'v=7&ep=4']);
    expect(document.scenario.parallelism.ep).toBe(4);
    expect(document.messages.map((message) => message.kind)).toEqual(['version']);
  });

  it('the text report shows the notes, every metric and every paper check', () => {
    const result = runSim(['--set', 'batch=0']);
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Scenario #v=1&batch=1');
    expect(lines[1]).toMatch(/^note: Batch size \(batch\): 0 is below the minimum/);
    for (const metric of summaryMetrics(decodeFragment('v=1&batch=1').scenario)) {
      expect(result.stdout).toContain(metric.label);
      expect(result.stdout).toContain(metric.formula);
    }
    expect(result.stdout).toContain('46.7B');
    const checkLines = lines.filter((line) => /^ {2}(ok {2}|near|gap ) /.test(line));
    expect(checkLines).toHaveLength(PAPER_CHECKS.length);
    expect(result.stdout).not.toMatch(/NaN|undefined|Infinity/);
  });
});

describe('runSim --list-presets and --help', () => {
  it('--list-presets --json lists every model with its source', () => {
    const result = runSim(['--list-presets', '--json']);
    expect(result.exitCode).toBe(0);
    const list = JSON.parse(result.stdout) as {
      models: { id: string; name: string; source: string }[];
      gpus: { id: string; source: string }[];
      links: { id: string; source: string }[];
      paperChecks: { id: string; fragment: string }[];
    };
    expect(list.models.map((model) => model.id)).toEqual(MODEL_PRESETS.map((model) => model.id));
    for (const model of list.models) expect(model.source.length, model.id).toBeGreaterThan(0);
    expect(list.gpus.map((gpu) => gpu.id)).toEqual(GPU_PRESETS.map((gpu) => gpu.id));
    for (const gpu of list.gpus) expect(gpu.source.length, gpu.id).toBeGreaterThan(0);
    expect(list.links.map((link) => link.id)).toEqual(LINK_PRESETS.map((link) => link.id));
    expect(list.paperChecks.map((check) => check.id)).toEqual(PAPER_CHECKS.map((check) => check.id));
  });

  it('--list-presets as text names every model and GPU', () => {
    const result = runSim(['--list-presets']);
    expect(result.exitCode).toBe(0);
    for (const model of MODEL_PRESETS) expect(result.stdout).toContain(model.id);
    for (const gpu of GPU_PRESETS) expect(result.stdout).toContain(gpu.id);
  });

  it('--help prints the usage and exits 0', () => {
    expect(runSim(['--help'])).toEqual({ exitCode: 0, stdout: `${USAGE}\n`, stderr: '' });
    expect(runSim(['-h']).exitCode).toBe(0);
  });

  it('is a pure function of its arguments', () => {
    const args = ['--preset', 'dbrx', '--set', 'seed=9', '--json'];
    expect(runSim(args)).toEqual(runSim(args));
  });
});

describe('the Node entry', () => {
  it('npx tsx src/cli/sim.ts --json --set ep=4 prints valid JSON', () => {
    const stdout = execFileSync('npx', ['tsx', 'src/cli/sim.ts', '--json', '--set', 'ep=4'], {
      cwd: process.cwd(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    const document = JSON.parse(stdout) as JsonDocument;
    expect(document.fragment).toBe('v=1&ep=4');
    expect(document.scenario.parallelism.ep).toBe(4);
    expect(metricValues(document.metrics)).toEqual(metricValues(runJson(['--set', 'ep=4']).metrics));
  }, 60_000);
});

const TRACE_FRAGMENT =
  'v=1&model=gpt-350m-16e&gpu=a800&checkpoint.mtbfHours=2&checkpoint.totalIterations=10000&lab=checkpointing';

/** The trace the core builds for a link, as the Checkpointing lab's Export trace button does. */
function coreTrace(fragment: string): string {
  const { scenario } = decodeFragment(fragment);
  const run = simulateRun(scenario, checkpointCosts(scenario));
  return checkpointTraceJson({ scenario, run, link: encodeFragment(scenario, { lab: 'checkpointing' }) });
}

describe('runSim --trace', () => {
  it('asks for the same trace the core gives for the link, and prints what it always prints', () => {
    const result = runSim(['--hash', TRACE_FRAGMENT, '--trace', 'out.json']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.files).toEqual([
      {
        path: 'out.json',
        contents: coreTrace(TRACE_FRAGMENT),
        description: 'Chrome trace of the checkpointing run',
      },
    ]);
    expect(result.stdout).toBe(runSim(['--hash', TRACE_FRAGMENT]).stdout);
    const trace = JSON.parse(result.files?.[0]?.contents ?? '') as {
      traceEvents: unknown[];
      metadata: { link: string };
    };
    expect(trace.traceEvents.length).toBeGreaterThan(100);
    expect(trace.metadata.link).toBe(`#${TRACE_FRAGMENT}`);
  });

  it('links the trace to the Checkpointing lab whatever lab the given link opened', () => {
    const result = runSim(['--hash', 'v=1&ep=4&lab=routing', '--trace', 'out.json', '--json']);
    expect(result.files?.[0]?.contents).toBe(coreTrace('v=1&ep=4'));
  });

  it('writes no file without --trace, and says what is missing when it has no path', () => {
    expect(runSim(['--hash', TRACE_FRAGMENT]).files).toBeUndefined();
    expectUsageError(['--trace'], ['--trace needs a file to write.']);
    expectUsageError(['--list-presets', '--trace', 'out.json'], ['--list-presets has none']);
  });
});

describe('the Node entry writes the trace', () => {
  it('npx tsx src/cli/sim.ts --hash … --trace FILE writes the core’s trace to FILE', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'moe-lab-trace-'));
    try {
      const file = path.join(dir, 'out.json');
      const result = spawnSync('npx', ['tsx', 'src/cli/sim.ts', '--hash', TRACE_FRAGMENT, '--trace', file], {
        cwd: process.cwd(),
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(result.status).toBe(0);
      expect(result.stderr).toContain(`Wrote the Chrome trace of the checkpointing run to ${file}.`);
      expect(readFileSync(file, 'utf8')).toBe(coreTrace(TRACE_FRAGMENT));
      // A path it cannot write: a clear message and exit status 1, never a stack trace.
      const missing = path.join(dir, 'no-such-dir', 'out.json');
      const failed = spawnSync('npx', ['tsx', 'src/cli/sim.ts', '--trace', missing], {
        cwd: process.cwd(),
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(failed.status).toBe(1);
      expect(failed.stderr).toContain(
        `Could not write the Chrome trace of the checkpointing run to ${missing}: ENOENT`,
      );
      expect(failed.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('routing notes', () => {
  it('says a preset routes with the lab’s gating until asked to route as the model does, and how', () => {
    const text = runSim(['--preset', 'deepseek-v3', '--metrics', 'routing.droppedFraction']).stdout;
    expect(text).toContain(
      'Route as it does with --set routing.gating=group-limited --set routing.groups=8 --set routing.topkGroups=4.',
    );
    const native = runSim([
      '--preset',
      'deepseek-v3',
      '--set',
      'routing.gating=group-limited',
      '--set',
      'routing.groups=8',
      '--set',
      'routing.topkGroups=4',
      '--json',
    ]);
    expect((JSON.parse(native.stdout) as { notes: string[] }).notes).toEqual([]);
  });

  it('says a custom load profile falls back to Zipf, as no matrix can be loaded here', () => {
    const document = JSON.parse(runSim(['--set', 'routing.profile=custom', '--json']).stdout) as {
      notes: string[];
    };
    expect(document.notes.join(' ')).toMatch(/cannot load: routing falls back to the Zipf profile/);
  });
});

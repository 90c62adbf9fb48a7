import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { InputError } from '../../../src/errors.js';
import {
  CASE_SIGNALS,
  FAULT_TYPES,
  kubernetesManifests,
  MAX_NOISE_SCALE,
  planSuite,
  simulate,
  suiteTruth,
  telemetryWindow,
  toAlertmanagerWebhooks,
  toCaseFiles,
  toOtlpLogs,
  toOtlpTraces,
  topologyFor,
  type CaseEntities,
  type CaseSignals,
  type FaultSpec,
  type FaultType,
  type SimOptions,
  type SystemSpec,
} from '../../../src/sim/index.js';

interface RunFlags {
  system: string;
  fault?: string;
  target?: string;
  also?: string;
  seed: string;
  start?: string;
  durationS: string;
  stepS: string;
  faultStartS?: string;
  faultDurationS: string;
  traceRate: string;
  json?: boolean;
}

/** `online-boutique` or `generated:<N>` → SystemSpec. */
export function parseSystem(s: string): SystemSpec {
  if (s === 'online-boutique') return 'online-boutique';
  const m = /^generated:(\d+)$/.exec(s);
  if (m) return { generated: { services: Number(m[1]) } };
  throw new InputError('--system', `expected "online-boutique" or "generated:<services>", got "${s}"`);
}

function finite(v: string, where: string): number {
  // Number('') and Number(' ') are 0: an empty flag is a mistake, not zero.
  const n = v.trim() === '' ? Number.NaN : Number(v);
  if (!Number.isFinite(n)) throw new InputError(where, `expected a number, got "${v}"`);
  return n;
}

function wholeNumber(v: string, where: string, min?: number): number {
  const n = finite(v, where);
  if (!Number.isInteger(n) || (min !== undefined && n < min))
    throw new InputError(where, `expected a whole number${min === undefined ? '' : ` ≥ ${min}`}, got "${v}"`);
  return n;
}

function faultType(v: string, where: string): FaultType {
  if (!(FAULT_TYPES as readonly string[]).includes(v))
    throw new InputError(where, `unknown fault "${v}"`, { hint: `one of ${FAULT_TYPES.join(', ')}` });
  return v as FaultType;
}

/** The start (ms) of a run of `durationS` that ends at the last whole step before now. */
const endingNow = (durationS: number, stepS: number): number =>
  Math.floor(Date.now() / (stepS * 1000)) * stepS * 1000 - durationS * 1000;

/**
 * Builds SimOptions from the shared flags; the fault starts at 80% of the run unless told. Without
 * --start the run starts 2024-03-05T06:00Z, or with `endNow` ends now (whole steps).
 */
function optionsFrom(f: RunFlags, defaults: { traceRate?: number; endNow?: boolean } = {}): SimOptions {
  const durationS = finite(f.durationS, '--duration-s');
  const stepS = finite(f.stepS, '--step-s');
  const faultDurationS = finite(f.faultDurationS, '--fault-duration-s');
  const faultStartS =
    f.faultStartS !== undefined
      ? finite(f.faultStartS, '--fault-start-s')
      : Math.max(0, durationS - faultDurationS - 2_400);
  const faults: FaultSpec[] = [];
  if (f.fault) {
    if (!f.target)
      throw new InputError('--target', 'a fault needs a target service or pod', { hint: 'e.g. --target cartservice' });
    faults.push({
      type: faultType(f.fault, '--fault'),
      target: f.target,
      startS: faultStartS,
      durationS: faultDurationS,
    });
  }
  if (f.also) {
    const [type, target] = f.also.split(':');
    if (!type || !target) throw new InputError('--also', `expected <fault>:<target>, got "${f.also}"`);
    faults.push({ type: faultType(type, '--also'), target, startS: faultStartS + 600, durationS: faultDurationS });
  }
  return {
    system: parseSystem(f.system),
    seed: finite(f.seed, '--seed'),
    start: f.start ? Date.parse(f.start) : defaults.endNow ? endingNow(durationS, stepS) : Date.UTC(2024, 2, 5, 6),
    durationS,
    stepS,
    faults,
    traceRatePerS: finite(f.traceRate ?? String(defaults.traceRate ?? 1), '--trace-rate'),
  };
}

/** simulate() on the flags, its errors about a fault named by the flag that set it (--target, --also). */
function simulateFlags(f: RunFlags, defaults: Parameters<typeof optionsFrom>[1] = {}): ReturnType<typeof simulate> {
  const opts = optionsFrom(f, defaults);
  try {
    return simulate(opts);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const at = /^faults\[(\d+)\]\.target$/.exec(e.where);
    if (!at) throw e;
    const flag = Number(at[1]) === 0 && f.fault ? '--target' : '--also';
    throw new InputError(flag, e.what);
  }
}

function writeFiles(dir: string, files: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}

function runOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--system <system>', 'online-boutique, or generated:<services> (10 to 3000)').default(
        'online-boutique',
      ),
    )
    .addOption(new Option('--fault <type>', 'fault to inject (none: a fault-free run)').choices([...FAULT_TYPES]))
    .option('--target <name>', 'service or pod the fault hits (e.g. cartservice)')
    .option(
      '--also <fault:target>',
      'a second, concurrent fault starting 10 minutes later (e.g. error-return:paymentservice)',
    )
    .option('--seed <n>', 'random seed; the same seed gives the same output', '7')
    .option('--start <iso>', 'start of the run (ISO 8601; default 2024-03-05T06:00Z, or for `sim live` ending now)')
    .option('--duration-s <s>', 'length of the run in seconds', String(5 * 3_600))
    .option('--step-s <s>', 'metric resolution in seconds', '30')
    .option(
      '--fault-start-s <s>',
      'fault start, seconds after the run start (default: 40 min before the end minus the fault)',
    )
    .option('--fault-duration-s <s>', 'fault length in seconds', '1200')
    .option('--trace-rate <n>', 'sampled traces per second at peak load', '1')
    .option('--json', 'print a JSON summary on stdout');
}

/** Registers `rootgraph sim …`: export a case, a suite of cases, live wire formats, or manifests. */
export function registerSimCommand(program: Command): void {
  const sim = program
    .command('sim')
    .description('Simulated microservice systems with fault injection (Online Boutique or generated).');

  runOptions(sim.command('export'))
    .description(
      'Simulate one incident and write an offline case folder (metrics.csv, topology.csv, traces.csv, logs.csv, incident.json, ground-truth.json).',
    )
    .requiredOption('--out <dir>', 'case folder to write')
    .addOption(
      new Option('--entities <which>', 'series in metrics.csv').choices(['services', 'all']).default('services'),
    )
    .option('--no-traces', 'skip traces.csv')
    .option('--no-logs', 'skip logs.csv')
    .addHelpText(
      'after',
      '\nExample:\n  rootgraph sim export --system online-boutique --fault cpu-hog --target cartservice --seed 7 --out /tmp/case',
    )
    .action((f: RunFlags & { out: string; entities: CaseEntities; traces: boolean; logs: boolean }) => {
      const run = simulateFlags(f);
      const files = toCaseFiles(run, { entities: f.entities, traces: f.traces, logs: f.logs, name: f.out });
      writeFiles(f.out, files);
      const summary = {
        out: f.out,
        files: Object.keys(files),
        faults: run.truth.faults.map((x) => ({ type: x.type, target: x.target, start: x.start / 1000 })),
        rows: run.metrics.timestamps.length,
        alerts: run.alerts.length,
      };
      process.stdout.write(
        f.json
          ? `${JSON.stringify(summary)}\n`
          : `wrote ${files ? Object.keys(files).length : 0} files to ${f.out} (${summary.rows} metric rows, ${summary.alerts} alerts; ${summary.faults.length > 0 ? summary.faults.map((x) => `${x.type} on ${x.target}`).join(', ') : 'no fault injected'})\n`,
      );
    });

  sim
    .command('export-suite')
    .description(
      'Write many cases (every fault type × several targets × seeds) and a truth.json in the PetShop truth shape.',
    )
    .requiredOption('--out <dir>', 'folder to hold the case folders and truth.json')
    .option('--system <system>', 'online-boutique, or generated:<services>', 'online-boutique')
    .option('--seeds <list>', 'comma-separated seeds', '1,2')
    .option('--targets-per-fault <n>', 'distinct targets per fault type', '4')
    .option('--faults <list>', `comma-separated subset of: ${FAULT_TYPES.join(', ')}`)
    .addOption(
      new Option(
        '--signals <set>',
        'full: every metric and topology.csv; resource: only cpu, memory, network and restarts per service plus the entry SLI, no topology (latency, errors and calls from traces alone)',
      )
        .choices(CASE_SIGNALS)
        .default('full'),
    )
    .option('--client-spans', 'traces carry a client span around every call, as OTel records them')
    .option(
      '--severity <x>',
      "scales each injected fault's strength (not the distractors'): 1 is each fault type's default, 0.5 half as strong",
      '1',
    )
    .option('--noise <x>', "scales the step-to-step jitter of every service's latency and every pod's CPU", '1')
    .option(
      '--distractors',
      'add a harmless change on another service near each fault (memory growth, or a batch job taking some CPU)',
    )
    .option('--json', 'print a JSON summary on stdout')
    .action(
      (f: {
        out: string;
        system: string;
        seeds: string;
        targetsPerFault: string;
        faults?: string;
        signals: CaseSignals;
        clientSpans?: boolean;
        severity: string;
        distractors?: boolean;
        noise: string;
        json?: boolean;
      }) => {
        const severity = finite(f.severity, '--severity');
        if (severity <= 0) throw new InputError('--severity', `expected a number above 0, got "${f.severity}"`);
        const noiseScale = finite(f.noise, '--noise');
        if (noiseScale < 0 || noiseScale > MAX_NOISE_SCALE)
          throw new InputError('--noise', `expected a number from 0 to ${MAX_NOISE_SCALE}, got "${f.noise}"`);
        const cases = planSuite({
          system: parseSystem(f.system),
          seeds: f.seeds.split(',').map((s) => wholeNumber(s, '--seeds')),
          targetsPerFault: wholeNumber(f.targetsPerFault, '--targets-per-fault', 1),
          faults: f.faults?.split(',').map((x) => faultType(x.trim(), '--faults')),
          clientSpans: f.clientSpans ?? false,
          severity: severity === 1 ? undefined : severity,
          distractors: f.distractors ?? false,
          noiseScale: noiseScale === 1 ? undefined : noiseScale,
        });
        cases.forEach((c, i) => {
          writeFiles(join(f.out, c.name), toCaseFiles(simulate(c.options), { name: c.name, signals: f.signals }));
          process.stderr.write(`[${i + 1}/${cases.length}] ${c.name}\n`);
        });
        writeFileSync(join(f.out, 'truth.json'), `${JSON.stringify(suiteTruth(cases), null, 1)}\n`);
        process.stdout.write(
          f.json
            ? `${JSON.stringify({ out: f.out, cases: cases.length })}\n`
            : `wrote ${cases.length} cases and truth.json to ${f.out}\n`,
        );
      },
    );

  runOptions(sim.command('live'))
    .description(
      'Simulate and write the live wire formats: OTLP/HTTP JSON traces and logs, Alertmanager v4 webhook payloads, Kubernetes YAML.',
    )
    .requiredOption(
      '--out <dir>',
      'folder to write otlp-traces.json, otlp-logs.json, alertmanager-webhooks.json, k8s-manifests.yaml, ground-truth.json',
    )
    .action((f: RunFlags & { out: string }) => {
      // Live wire formats are for posting to `rootgraph serve`, which refuses telemetry older than its past bound.
      const run = simulateFlags(f, { traceRate: 0.2, endNow: true });
      const window = telemetryWindow(run);
      const end = run.options.start + run.options.durationS * 1000;
      const files = {
        'otlp-traces.json': JSON.stringify(toOtlpTraces(run.topology, run.traces(window))),
        'otlp-logs.json': JSON.stringify(toOtlpLogs(run.topology, run.logs(window))),
        'alertmanager-webhooks.json': JSON.stringify(toAlertmanagerWebhooks(run.alerts, end), null, 1),
        'k8s-manifests.yaml': kubernetesManifests(run.topology),
        'ground-truth.json': toCaseFiles(run, { traces: false, logs: false })['ground-truth.json'],
      };
      writeFiles(f.out, files);
      process.stdout.write(
        f.json
          ? `${JSON.stringify({ out: f.out, files: Object.keys(files) })}\n`
          : `wrote ${Object.keys(files).join(', ')} to ${f.out}\n`,
      );
    });

  sim
    .command('manifests')
    .description('Print the Kubernetes YAML (Nodes, ConfigMaps, Deployments, Services, Pods) of a simulated system.')
    .option('--system <system>', 'online-boutique, or generated:<services>', 'online-boutique')
    .option('--seed <n>', 'random seed', '7')
    .action((f: { system: string; seed: string }) => {
      process.stdout.write(
        kubernetesManifests(topologyFor({ system: parseSystem(f.system), seed: finite(f.seed, '--seed') })),
      );
    });
}

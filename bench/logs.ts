// `npm run bench -- logs [--repeat N] [--data DIR]`: template-miner throughput on the eight Loghub
// samples concatenated and repeated to ≥ 1 million messages, beside Drain3 (Python) on the same
// input in the same run (wall time around the mining loop only, and CPU time); then GA, PA and FGA
// of both on each sample (each line scored with its cluster and template as they stand at the end);
// last, the level read from each raw line (header included) against the samples' Level column.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TemplateMiner } from '../src/logs/drain.js';
import { DRAIN_PUBLISHED_GA, scoreLoghub } from '../src/logs/eval-loghub.js';
import { groupingAccuracy } from '../src/logs/grouping-accuracy.js';
import { type LoghubTruth, parseLoghubStructured } from '../src/logs/loghub.js';
import { levelFromMessage } from '../src/logs/message-level.js';
import { parsingAccuracy } from '../src/logs/parsing-accuracy.js';
import { printTable } from './table.js';

const DATASETS = ['HDFS', 'BGL', 'Hadoop', 'Spark', 'Zookeeper', 'OpenStack', 'Apache', 'Proxifier'];
const MIN_LINES = 1_000_000;

// Drain3 with its default configuration, or with the masking instructions of its example
// drain3.ini (IDs, IPs, hex sequences, hex, numbers); timed around the mining loop only.
const DRAIN3 = String.raw`
import json, sys, time
from drain3 import TemplateMiner
from drain3.template_miner_config import TemplateMinerConfig
from drain3.masking import MaskingInstruction
mode, masked, path = sys.argv[1], sys.argv[2] == 'masked', sys.argv[3]
MASKS = [
    (r"((?<=[^A-Za-z0-9])|^)(([0-9a-f]{2,}:){3,}([0-9a-f]{2,}))((?=[^A-Za-z0-9])|$)", "ID"),
    (r"((?<=[^A-Za-z0-9])|^)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})((?=[^A-Za-z0-9])|$)", "IP"),
    (r"((?<=[^A-Za-z0-9])|^)([0-9a-f]{6,} ?){3,}((?=[^A-Za-z0-9])|$)", "SEQ"),
    (r"((?<=[^A-Za-z0-9])|^)([0-9A-F]{4} ?){4,}((?=[^A-Za-z0-9])|$)", "SEQ"),
    (r"((?<=[^A-Za-z0-9])|^)(0x[a-f0-9A-F]+)((?=[^A-Za-z0-9])|$)", "HEX"),
    (r"((?<=[^A-Za-z0-9])|^)([\-\+]?\d+)((?=[^A-Za-z0-9])|$)", "NUM"),
]
def miner():
    cfg = TemplateMinerConfig()
    cfg.profiling_enabled = False
    if masked:
        cfg.masking_instructions = [MaskingInstruction(p, m) for p, m in MASKS]
    return TemplateMiner(config=cfg)
if mode == 'speed':
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    m = miner()
    t0 = time.perf_counter()
    c0 = time.process_time()
    for line in lines:
        m.add_log_message(line)
    dt = time.perf_counter() - t0
    cpu = time.process_time() - c0
    print(json.dumps({'lines': len(lines), 'seconds': dt, 'cpu': cpu, 'clusters': len(m.drain.clusters)}))
else:
    out = {}
    for name, msgs in json.load(open(path, encoding='utf-8')).items():
        m = miner()
        ids = [m.add_log_message(x)['cluster_id'] for x in msgs]
        tmpl = {c.cluster_id: c.get_template() for c in m.drain.clusters}
        out[name] = {'ids': [str(i) for i in ids], 'templates': [tmpl.get(i, '') for i in ids]}
    print(json.dumps(out))
`;

/** Runs the benchmark and prints two tables: throughput, then grouping accuracy. */
export async function run(args: string[]): Promise<void> {
  const dataDir = flag(args, '--data') ?? '../shared/data/loghub';
  const truths = new Map<string, LoghubTruth>();
  for (const d of DATASETS)
    truths.set(d, parseLoghubStructured(readFileSync(`${dataDir}/${d}/${d}_2k.log_structured.csv`, 'utf8'), d));
  // Messages hold no newlines in Loghub; flatten any other line break so both tools see the same lines.
  const base = [...truths.values()].flatMap((t) => t.contents.map((c) => c.replace(/[\r\n]+/g, ' ')));
  const repeat = Number(flag(args, '--repeat') ?? Math.ceil(MIN_LINES / base.length));
  const input: string[] = [];
  for (let r = 0; r < repeat; r++) for (const line of base) input.push(line);

  const miner = new TemplateMiner();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < input.length; i++) miner.add(input[i]);
  const ours = Number(process.hrtime.bigint() - t0) / 1e9;
  const cu = process.cpuUsage(c0);
  const oursCpu = (cu.user + cu.system) / 1e6;

  const tmp = mkdtempSync(join(tmpdir(), 'rootgraph-bench-logs-'));
  try {
    const rows: Array<Array<string | number>> = [
      [
        'rootgraph TemplateMiner (TypeScript)',
        input.length,
        ours,
        input.length / ours,
        input.length / oursCpu,
        miner.size,
        '—',
      ],
    ];
    const drain3 = hasDrain3();
    let drain3Scores: Record<string, { ids: string[]; templates: string[] }> | undefined;
    if (drain3) {
      writeFileSync(join(tmp, 'input.txt'), input.join('\n'));
      process.stderr.write(`bench logs: running Drain3 on ${input.length.toLocaleString('en-US')} lines…\n`);
      for (const cfg of ['default', 'masked'] as const) {
        const t = python(['speed', cfg, join(tmp, 'input.txt')]) as {
          lines: number;
          seconds: number;
          cpu: number;
          clusters: number;
        };
        const wall = input.length / ours / (t.lines / t.seconds);
        const cpu = input.length / oursCpu / (t.lines / t.cpu);
        rows.push([
          `Drain3 0.9 (Python, ${cfg === 'default' ? 'default config' : 'example masking'})`,
          t.lines,
          t.seconds,
          t.lines / t.seconds,
          t.lines / t.cpu,
          t.clusters,
          `${wall.toFixed(1)}× (CPU ${cpu.toFixed(1)}×)`,
        ]);
      }
      writeFileSync(
        join(tmp, 'ga.json'),
        JSON.stringify(Object.fromEntries([...truths].map(([d, t]) => [d, t.contents]))),
      );
      drain3Scores = python(['ga', 'masked', join(tmp, 'ga.json')]) as Record<
        string,
        { ids: string[]; templates: string[] }
      >;
    } else {
      rows.push(['Drain3', 'skipped: python3 with drain3 not found (pip install drain3)', '', '', '', '', '']);
    }
    printTable(
      `template mining throughput: 8 Loghub samples × ${repeat} = ${input.length.toLocaleString('en-US')} messages`,
      ['miner', 'lines', 'seconds (wall)', 'lines/s (wall)', 'lines/s (CPU)', 'templates', 'rootgraph faster by'],
      rows,
    );

    const gaRows = DATASETS.map((d) => {
      const t = truths.get(d) as LoghubTruth;
      const ours = scoreLoghub(d, t);
      const d3 = drain3Scores?.[d];
      const d3ga = d3 ? groupingAccuracy(t.eventIds, d3.ids) : undefined;
      const d3pa = d3 ? parsingAccuracy(t.templates, d3.templates.map(fromDrain3)).accuracy : undefined;
      return [
        d,
        ours.accuracy,
        ours.pa,
        ours.fga,
        d3ga?.accuracy ?? NaN,
        d3pa ?? NaN,
        d3ga?.fga ?? NaN,
        DRAIN_PUBLISHED_GA[d] ?? NaN,
      ];
    });
    const mean = (col: number) => gaRows.reduce((s, r) => s + (r[col] as number), 0) / gaRows.length;
    const f3 = (x: number | string) => (typeof x === 'number' ? (Number.isNaN(x) ? '—' : x.toFixed(3)) : x);
    const table = [...gaRows, ['mean', ...[1, 2, 3, 4, 5, 6, 7].map(mean)]].map((r) => r.map(f3));
    printTable(
      'template quality on the Loghub 2k samples (Content column; one setting for all)',
      ['dataset', 'GA', 'PA', 'FGA', 'Drain3 GA', 'Drain3 PA', 'Drain3 FGA', 'Drain GA (published, tuned regexes)'],
      table,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  levelTable(dataDir, truths, repeat);
}

/** Lines/s of reading a level from raw lines, and its agreement with each sample's Level column. */
function levelTable(dataDir: string, truths: Map<string, LoghubTruth>, repeat: number): void {
  const raw = new Map(
    DATASETS.map((d) => [d, readFileSync(`${dataDir}/${d}/${d}_2k.log`, 'utf8').split('\n').filter(Boolean)]),
  );
  const all = [...raw.values()].flat();
  let found = 0;
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < repeat; r++) for (const line of all) if (levelFromMessage(line) !== '') found++;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const rows: Array<Array<string | number>> = DATASETS.map((d) => {
    const lines = raw.get(d) as string[];
    const want = (truths.get(d) as LoghubTruth).levels.map((l) => l.toUpperCase());
    const same = lines.filter((l, i) => levelFromMessage(l) === want[i]).length;
    return [d, lines.length, want.some(Boolean) ? 'yes' : 'no', (same / lines.length).toFixed(3)];
  });
  rows.push([
    `all × ${repeat}`,
    all.length * repeat,
    `${found.toLocaleString('en-US')} with a level`,
    `${Math.round((all.length * repeat) / seconds).toLocaleString('en-US')} lines/s`,
  ]);
  printTable(
    'level read from the raw line (header and all) where the sender gave none',
    ['sample', 'lines', 'Level column', 'same as the Level column (no level read = same when there is none)'],
    rows,
  );
}

/** Drain3 writes its masks as `<NUM>`, `<IP>`…: for PA they are variables like `<*>`. */
const fromDrain3 = (t: string): string => t.replace(/<[A-Z]+>/g, '<*>');

function hasDrain3(): boolean {
  const r = spawnSync('python3', ['-c', 'import drain3'], { stdio: 'ignore' });
  return r.status === 0;
}

function python(args: string[]): unknown {
  const r = spawnSync('python3', ['-c', DRAIN3, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 900_000 });
  if (r.status !== 0) throw new Error(`Drain3 failed (${r.status ?? r.signal}): ${r.stderr.slice(-500)}`);
  return JSON.parse(r.stdout);
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

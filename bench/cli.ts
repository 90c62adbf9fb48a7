// `npm run bench -- cli [--runs N] [--root DIR] [--modes dist,tsx]`: what a user feels first — wall
// time and peak RSS of whole `rootgraph` processes, each the median of N runs (default 5):
//   --help;  logs templates on a 2,000-line file;  rca --case on a PetShop case.
// Beside each, the command's own work timed in this process (warm), so the start-up cost shows.
// Modes: `dist` builds dist/ first (scripts/build.js) and forces it (ROOTGRAPH_CLI=dist, since in a
// shared checkout other edits make dist/ stale at once); `tsx` runs the TypeScript sources.
// `--root DIR` measures another checkout (e.g. an older commit with node_modules linked) the same way.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCase } from '../src/cases/read-case.js';
import { TemplateMiner } from '../src/logs/drain.js';
import { analyseCase } from '../src/rca/analyse-case.js';
import { rankRootCauses } from '../src/rca/rank-root-causes.js';
import { seededRng } from '../src/rca/rng.js';
import { defaultWeights } from '../src/rca/weights.js';
import { printTable } from './table.js';

const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));
const SHARED = resolve(REPO, '..', 'shared', 'data');
const TARGETS = { help: 300, overhead: 1000 }; // ms: --help; the others, on top of their own work

interface Sample {
  wallMs: number;
  /** user + system CPU of the child: less disturbed than wall time on a shared machine. */
  cpuMs: number;
  rssMiB: number;
  code: number;
}

interface Case {
  label: string;
  args: string[];
  /** The command's own work in this process, in ms (median); 0 for --help. */
  workMs: number;
}

export async function run(args: string[]): Promise<void> {
  const runs = Number(flag(args, '--runs') ?? 5);
  const root = resolve(flag(args, '--root') ?? REPO);
  const modes = (flag(args, '--modes') ?? 'dist,tsx').split(',');
  const tmp = mkdtempSync(join(os.tmpdir(), 'rg-bench-cli-'));
  try {
    const cases = await prepareCases(tmp, runs);
    const preload = join(tmp, 'report-rss.mjs');
    // Peak RSS and CPU of the child itself, portable: it reports its own getrusage when it exits.
    writeFileSync(
      preload,
      `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => { const u = process.resourceUsage(); writeFileSync(process.env.RG_RSS_FILE, JSON.stringify(u)); });\n`,
    );
    console.log(
      `load average before: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (shared machine)`,
    );
    const rows: Array<Array<string | number>> = [];
    // The floor: an empty Node process on this machine, in the same conditions.
    const empty = Array.from({ length: runs }, (_, i) =>
      runOnce({ root, mode: 'none', args: [], preload, rssFile: join(tmp, `rss-${i}`), script: ['-e', ''] }),
    );
    const emptyWall = median(empty.map((s) => s.wallMs));
    rows.push([
      'node -e "" (floor)',
      '—',
      Math.round(emptyWall),
      Math.round(median(empty.map((s) => s.cpuMs))),
      Math.round(median(empty.map((s) => s.rssMiB))),
      '—',
      Math.round(emptyWall),
      '—',
      0,
    ]);
    for (const mode of modes) {
      if (mode === 'dist') build(root);
      for (const c of cases) {
        const samples = Array.from({ length: runs }, (_, i) =>
          runOnce({ root, mode, args: c.args, preload, rssFile: join(tmp, `rss-${i}`) }),
        );
        const wall = median(samples.map((s) => s.wallMs));
        const target = c.workMs === 0 ? TARGETS.help : c.workMs + TARGETS.overhead;
        rows.push([
          `${root === REPO ? 'this checkout' : root} · ${mode}`,
          c.label,
          Math.round(wall),
          Math.round(median(samples.map((s) => s.cpuMs))),
          Math.round(median(samples.map((s) => s.rssMiB))),
          c.workMs === 0 ? '—' : Math.round(c.workMs),
          Math.round(wall - c.workMs),
          `${Math.round(target)} ${wall <= target ? 'met' : 'missed'}`,
          [...new Set(samples.map((s) => s.code))].join(','),
        ]);
      }
    }
    printTable(
      `rootgraph CLI, median of ${runs} runs (start-up = wall − own work; the target is on wall time)`,
      [
        'checkout · mode',
        'command',
        'wall ms',
        'CPU ms',
        'peak RSS MiB',
        'own work ms',
        'start-up ms',
        'target ms',
        'exit',
      ],
      rows,
    );
    console.log(
      `load average after: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The three commands, their inputs (shared data when present, generated otherwise) and own work. */
async function prepareCases(tmp: string, runs: number): Promise<Case[]> {
  const hdfs = join(SHARED, 'loghub', 'HDFS', 'HDFS_2k.log');
  const logFile = existsSync(hdfs) ? hdfs : generateLog(join(tmp, 'generated-2k.log'));
  const petshop = join(SHARED, 'rca', 'petshop');
  const caseName = existsSync(petshop)
    ? readdirSync(petshop)
        .filter((d) => d.includes('-test-'))
        .sort()[0]
    : undefined;
  if (!caseName) throw new Error(`no PetShop case under ${petshop}; the rca row needs one`);
  const caseDir = join(petshop, caseName);
  const lines = readFileSync(logFile, 'utf8').split('\n').filter(Boolean);
  const logsWork = median(
    await repeat(runs, () => {
      const miner = new TemplateMiner();
      for (const l of lines) miner.add(l);
    }),
  );
  const rcaWork = median(
    await repeat(runs, async () => {
      const analysis = analyseCase(await readCase(caseDir));
      rankRootCauses(analysis, defaultWeights(), { method: 'fused', rng: seededRng(1) });
    }),
  );
  return [
    { label: '--help', args: ['--help'], workMs: 0 },
    {
      label: `logs templates ${shortPath(logFile)} --json (${lines.length} lines)`,
      args: ['logs', 'templates', logFile, '--json'],
      workMs: logsWork,
    },
    { label: `rca --case petshop/${caseName} --json`, args: ['rca', '--case', caseDir, '--json'], workMs: rcaWork },
  ];
}

function runOnce(o: {
  root: string;
  mode: string;
  args: string[];
  preload: string;
  rssFile: string;
  script?: string[];
}): Sample {
  const script = o.script ?? [join(o.root, 'bin', 'rootgraph.js')];
  const t0 = process.hrtime.bigint();
  const res = spawnSync(process.execPath, ['--import', o.preload, ...script, ...o.args], {
    cwd: o.root,
    env: { ...process.env, ROOTGRAPH_CLI: o.mode, RG_RSS_FILE: o.rssFile },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const code = res.status ?? 1;
  if (code !== 0) process.stderr.write(`rootgraph ${o.args.join(' ')} exited ${code}: ${res.stderr?.toString()}\n`);
  const usage = JSON.parse(readFileSync(o.rssFile, 'utf8')) as NodeJS.ResourceUsage;
  const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  return { wallMs, cpuMs, rssMiB: usage.maxRSS / 1024, code };
}

function build(root: string): void {
  const script = join(root, 'scripts', 'build.js');
  if (!existsSync(script)) throw new Error(`${root} has no scripts/build.js: measure it with --modes tsx`);
  const res = spawnSync(process.execPath, [script], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) throw new Error(`build failed in ${root}`);
}

/** A 2,000-line HDFS-like log, when the shared Loghub sample is not there. */
function generateLog(file: string): string {
  const kinds = ['Receiving block', 'PacketResponder for block', 'Deleting block', 'Verification succeeded for'];
  const lines = Array.from({ length: 2000 }, (_, i) => {
    const blk = `blk_${(i * 7919) % 100_000}`;
    return `081109 20${String(i % 60).padStart(2, '0')}00 ${i % 997} INFO dfs.DataNode: ${kinds[i % kinds.length]} ${blk} src: /10.250.${i % 255}.${(i * 13) % 255}:50010`;
  });
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function repeat(n: number, fn: () => unknown): Promise<number[]> {
  await fn(); // warm-up: the in-process figure is the work, not module loading or JIT
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function shortPath(p: string): string {
  return p.startsWith(SHARED) ? `…/${p.slice(SHARED.length + 1)}` : p;
}

import cliProgress from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import { runDemo } from '../../demo/run-demo.js';
import { SYMPTOMATIC_FAULT_TYPES, onlineBoutique, type FaultType } from '../../../src/sim/index.js';

/** The services of the demo's Online Boutique, the values `--target` accepts. */
function demoTargets(): string[] {
  return onlineBoutique().services.map((s) => s.name);
}

/** `rootgraph demo`: the whole loop on the embedded default, on a simulated Online Boutique. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'Simulate Online Boutique, inject a fault, and watch rootgraph detect, compress, diagnose and explain it (embedded: no Neo4j, Redis or Slack)',
    )
    .option(
      '--fault <type>',
      `fault to inject: ${SYMPTOMATIC_FAULT_TYPES.join(', ')} (random by default)`,
      (v: string) => {
        if (!(SYMPTOMATIC_FAULT_TYPES as readonly string[]).includes(v))
          throw new InvalidArgumentError(`expected one of ${SYMPTOMATIC_FAULT_TYPES.join(', ')}`);
        return v as FaultType;
      },
    )
    .option('--target <service>', 'service to break (random by default)', (v: string) => {
      // Checked here, before anything runs or prints, so a typo costs nothing and shows the choices.
      const targets = demoTargets();
      if (!targets.includes(v)) throw new InvalidArgumentError(`expected one of ${targets.join(', ')}`);
      return v;
    })
    .option('--seed <n>', 'random seed (default: from the clock)', (v: string) => {
      const n = Number.parseInt(v, 10);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
      return n;
    })
    .option(
      '--data-dir <dir>',
      'where the embedded graph keeps its snapshot (each demo starts from an empty graph)',
      'var/demo',
    )
    .option('--no-chat', 'end after the diagnosis instead of opening the console chat')
    .action(async (opts: { fault?: FaultType; target?: string; seed?: number; dataDir: string; chat: boolean }) => {
      const seed = opts.seed ?? Date.now() % 100_000;
      const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
      const bar = tty
        ? new cliProgress.SingleBar(
            { format: '{label} [{bar}] {value}/{total} min', stream: process.stdout, clearOnComplete: true },
            cliProgress.Presets.shades_classic,
          )
        : undefined;
      let lastPct = -1;
      const result = await runDemo({
        ...opts,
        seed,
        chat: opts.chat && tty,
        out: (line) => console.log(line),
        progress: (label, done, total) => {
          if (bar) {
            if (done === 1) bar.start(total, 0, { label });
            bar.update(done, { label });
            if (done === total) bar.stop();
            return;
          }
          const pct = Math.floor((done / total) * 4) * 25;
          if (pct !== lastPct) console.log(`${label}: ${pct}%`);
          lastPct = pct;
        },
      });
      process.exitCode = result.correct ? 0 : 1;
    });
}

import { InvalidArgumentError, type Command } from 'commander';
import { runDemo } from '../../demo/run-demo.js';
import { FAULT_TYPES, type FaultType } from '../../sim/index.js';

/** `rootgraph demo`: the whole loop on the embedded default, on a simulated Online Boutique. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Simulate Online Boutique, inject a fault and diagnose it on the embedded default (no Neo4j, Redis or Slack)')
    .option('--fault <type>', `fault to inject: ${FAULT_TYPES.join(', ')} (random by default)`, (v: string) => {
      if (!(FAULT_TYPES as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${FAULT_TYPES.join(', ')}`);
      return v as FaultType;
    })
    .option('--target <service>', 'service to break (random by default)')
    .option('--seed <n>', 'random seed (default: from the clock)', (v: string) => Number.parseInt(v, 10))
    .option('--data-dir <dir>', 'where the embedded graph keeps its snapshot', 'var/demo')
    .action(async (opts: { fault?: FaultType; target?: string; seed?: number; dataDir: string }) => {
      const seed = opts.seed ?? Date.now() % 100_000;
      const result = await runDemo({ ...opts, seed, out: (l) => console.log(l) });
      process.exitCode = result.correct ? 0 : 1;
    });
}

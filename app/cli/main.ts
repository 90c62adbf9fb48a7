import { Command, CommanderError } from 'commander';
import { isRootgraphError, userMessage } from '../../src/errors.js';

/** One top-level command: what `rootgraph --help` lists, and how to load the module that registers it. */
export interface CommandEntry {
  name: string;
  /** The help line's left column after the name, as commander would print it: `[options] <query>`. */
  args: string;
  description: string;
  load(): Promise<(program: Command) => void>;
}

/**
 * Every top-level command, in help order. A command's module (and what it imports: TensorFlow.js,
 * Bolt, BullMQ, Neo4j, Fastify, langchain) is loaded only when that command runs, so `rootgraph
 * --help` and the offline commands start in a fraction of a second. `test/cli/command-table.test.ts`
 * checks that `args` and `description` match what each module registers.
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'serve',
    args: '[options]',
    description:
      'Run rootgraph: ingest HTTP server, job workers and the Slack bot (backends from the environment; see README)',
    load: async () => (await import('./commands/serve.js')).registerServeCommand,
  },
  {
    name: 'demo',
    args: '[options]',
    description:
      'Simulate Online Boutique, inject a fault, and watch rootgraph detect, compress, diagnose and explain it (embedded: no Neo4j, Redis or Slack)',
    load: async () => (await import('./commands/demo.js')).registerDemoCommand,
  },
  {
    name: 'graph',
    args: '',
    description: 'Inspect the knowledge graph',
    load: async () => (await import('./commands/graph.js')).registerGraphCommand,
  },
  {
    name: 'ingest',
    args: '',
    description: 'Load Kubernetes manifests or an offline case into the knowledge graph',
    load: async () => (await import('./commands/ingest.js')).registerIngestCommand,
  },
  {
    name: 'cypher',
    args: '[options] <query>',
    description: 'Run a read-only Cypher query against the Neo4j graph (needs NEO4J_URI)',
    load: async () => (await import('./commands/cypher.js')).registerCypherCommand,
  },
  {
    name: 'chat',
    args: '[options]',
    description: 'Ask the incident assistant questions in the terminal (reads stdin; "help" lists questions)',
    load: async () => (await import('./commands/chat.js')).registerChatCommand,
  },
  {
    name: 'incidents',
    args: '',
    description: 'List and show incidents; merge or split them (corrections teach the alert grouping)',
    load: async () => (await import('./commands/incidents.js')).registerIncidentsCommand,
  },
  {
    name: 'sim',
    args: '',
    description: 'Simulated microservice systems with fault injection (Online Boutique or generated).',
    load: async () => (await import('./commands/sim.js')).registerSimCommand,
  },
  {
    name: 'detect',
    args: '[options]',
    description:
      'Metric anomaly detection over an offline case: anomalies found, and when the incident would have been declared',
    load: async () => (await import('./commands/detect.js')).registerDetectCommand,
  },
  {
    name: 'logs',
    args: '',
    description: 'Mine log templates',
    load: async () => (await import('./commands/logs.js')).registerLogsCommand,
  },
  {
    name: 'alerts',
    args: '',
    description: 'Alert compression: deduplicate, suppress flapping, correlate into incidents',
    load: async () => (await import('./commands/alerts.js')).registerAlertsCommand,
  },
  {
    name: 'rca',
    args: '[options]',
    description: 'Rank root-cause candidates of an offline incident case (case format: docs/case-format.md).',
    load: async () => (await import('./commands/rca.js')).registerRcaCommand,
  },
  {
    name: 'eval',
    args: '',
    description: 'Measure accuracy: detection (F1), log parsing (grouping accuracy), alert compression, RCA (AC@k)',
    load: async () => (await import('./commands/eval.js')).registerEvalCommand,
  },
  {
    name: 'worker',
    args: '[options]',
    description: 'Run BullMQ workers for some or all job queues (needs REDIS_URL); run several for more throughput',
    load: async () => (await import('./commands/worker.js')).registerWorkerCommand,
  },
  {
    name: 'jobs',
    args: '[options]',
    description: 'Queue depths, rates and failures of the BullMQ jobs (needs REDIS_URL)',
    load: async () => (await import('./commands/jobs.js')).registerJobsCommand,
  },
];

/** The bare program: name, version, and the error behaviour every subcommand inherits. */
function newProgram(): Command {
  // Subcommands copy these settings when they are created, so set them before registering any.
  return new Command('rootgraph')
    .description('Knowledge-graph and ChatOps incident assistant for cloud-native systems.')
    .version('0.1.0')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
}

/** Builds the whole `rootgraph` command tree, loading every command's module (tests, help checks). */
export async function buildProgram(): Promise<Command> {
  const program = newProgram();
  for (const entry of COMMANDS) (await entry.load())(program);
  return program;
}

/**
 * The program for one invocation: the named command's module only, or, when no known command is
 * named (`--help`, `--version`, a typo), placeholders that carry each command's help line.
 */
async function programFor(args: string[]): Promise<Command> {
  const program = newProgram();
  const words = args.filter((a) => !a.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  const entry = COMMANDS.find((c) => c.name === name);
  if (entry) {
    (await entry.load())(program);
    return program;
  }
  for (const c of COMMANDS) program.command(c.name).description(c.description);
  const terms = new Map(COMMANDS.map((c) => [c.name, c.args ? `${c.name} ${c.args}` : c.name]));
  const base = program.createHelp();
  program.configureHelp({ subcommandTerm: (cmd) => terms.get(cmd.name()) ?? base.subcommandTerm(cmd) });
  return program;
}

/**
 * Runs the CLI; returns the process exit code: 0 when the command did its work (or printed the help
 * asked for), 1 when it failed while running, 2 when the command line or its input is wrong (unknown
 * command or option, a bad value, an input file that cannot be used).
 */
export async function main(argv: string[]): Promise<number> {
  const program = await programFor(argv.slice(2));
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    process.stderr.write(`rootgraph: ${userMessage(err)}\n`);
    return isRootgraphError(err, 'INPUT_INVALID') ? 2 : 1;
  }
}

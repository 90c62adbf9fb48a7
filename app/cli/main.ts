import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { isRootgraphError, userMessage } from '../../src/errors.js';

/** One top-level command: its name, and how to load the module that registers it. */
export interface CommandEntry {
  name: string;
  load(): Promise<(program: Command) => void>;
}

/** A top-level command's help line, as the loaded module registers it. */
export interface CommandSummary {
  name: string;
  /** The help line's left column, as commander prints it: `cypher [options] <query>`. */
  term: string;
  description: string;
}

/**
 * Every top-level command, in help order. A command's module (and what it imports: TensorFlow.js,
 * Bolt, BullMQ, Neo4j, Fastify, langchain) is loaded only when that command runs. The top-level
 * `--help` of the compiled CLI reads the commands' help lines from `commands.json`, which
 * `scripts/build.js` writes beside the compiled main.js from the loaded modules (`commandSummaries`),
 * so the modules stay the only place a description is written.
 */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'serve', load: async () => (await import('./commands/serve.js')).registerServeCommand },
  { name: 'demo', load: async () => (await import('./commands/demo.js')).registerDemoCommand },
  { name: 'graph', load: async () => (await import('./commands/graph.js')).registerGraphCommand },
  { name: 'ingest', load: async () => (await import('./commands/ingest.js')).registerIngestCommand },
  { name: 'cypher', load: async () => (await import('./commands/cypher.js')).registerCypherCommand },
  { name: 'chat', load: async () => (await import('./commands/chat.js')).registerChatCommand },
  { name: 'incidents', load: async () => (await import('./commands/incidents.js')).registerIncidentsCommand },
  { name: 'sim', load: async () => (await import('./commands/sim.js')).registerSimCommand },
  { name: 'detect', load: async () => (await import('./commands/detect.js')).registerDetectCommand },
  { name: 'logs', load: async () => (await import('./commands/logs.js')).registerLogsCommand },
  { name: 'alerts', load: async () => (await import('./commands/alerts.js')).registerAlertsCommand },
  { name: 'rca', load: async () => (await import('./commands/rca.js')).registerRcaCommand },
  { name: 'eval', load: async () => (await import('./commands/eval.js')).registerEvalCommand },
  { name: 'worker', load: async () => (await import('./commands/worker.js')).registerWorkerCommand },
  { name: 'jobs', load: async () => (await import('./commands/jobs.js')).registerJobsCommand },
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

/** The help lines of every command of a loaded program (what `scripts/build.js` saves as commands.json). */
export function commandSummaries(program: Command): CommandSummary[] {
  const help = program.createHelp();
  return program.commands.map((c) => ({ name: c.name(), term: help.subcommandTerm(c), description: c.description() }));
}

/** The saved help lines beside this file (compiled CLI only), when they name exactly the commands. */
function savedSummaries(): CommandSummary[] | undefined {
  try {
    const saved = JSON.parse(readFileSync(new URL('./commands.json', import.meta.url), 'utf8')) as CommandSummary[];
    const names = saved.map((c) => c.name).join(' ');
    return names === COMMANDS.map((c) => c.name).join(' ') ? saved : undefined;
  } catch {
    return undefined;
  }
}

/** A program of placeholder commands that carry the given help lines: `--help` without any module. */
export function programFromSummaries(summaries: readonly CommandSummary[]): Command {
  const program = newProgram();
  for (const c of summaries) program.command(c.name).description(c.description);
  const terms = new Map(summaries.map((c) => [c.name, c.term]));
  const base = program.createHelp();
  program.configureHelp({ subcommandTerm: (cmd) => terms.get(cmd.name()) ?? base.subcommandTerm(cmd) });
  return program;
}

/**
 * The program for one invocation: the named command's module only; when no known command is named
 * (`--help`, `--version`, a typo), placeholders from the saved help lines, or every module when
 * there are none (running from the sources).
 */
async function programFor(args: string[]): Promise<Command> {
  const words = args.filter((a) => !a.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    const saved = savedSummaries();
    return saved ? programFromSummaries(saved) : buildProgram();
  }
  const program = newProgram();
  (await entry.load())(program);
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

import { Command, CommanderError } from 'commander';
import { isRootgraphError, userMessage } from '../../src/errors.js';
import { registerAlertsCommand } from './commands/alerts.js';
import { registerChatCommand } from './commands/chat.js';
import { registerCypherCommand } from './commands/cypher.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerDetectCommand } from './commands/detect.js';
import { registerEvalCommand } from './commands/eval.js';
import { registerGraphCommand } from './commands/graph.js';
import { registerIncidentsCommand } from './commands/incidents.js';
import { registerIngestCommand } from './commands/ingest.js';
import { registerJobsCommand } from './commands/jobs.js';
import { registerLogsCommand } from './commands/logs.js';
import { registerRcaCommand } from './commands/rca.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSimCommand } from './commands/sim.js';
import { registerWorkerCommand } from './commands/worker.js';

/** Builds the `rootgraph` command tree; each subcommand lives in ./commands/<name>.ts. */
export function buildProgram(): Command {
  const program = new Command('rootgraph')
    .description('Knowledge-graph and ChatOps incident assistant for cloud-native systems.')
    .version('0.1.0')
    .showHelpAfterError('(add --help for usage)');
  registerServeCommand(program);
  registerDemoCommand(program);
  registerGraphCommand(program);
  registerIngestCommand(program);
  registerCypherCommand(program);
  registerChatCommand(program);
  registerIncidentsCommand(program);
  registerSimCommand(program);
  registerDetectCommand(program);
  registerLogsCommand(program);
  registerAlertsCommand(program);
  registerRcaCommand(program);
  registerEvalCommand(program);
  registerWorkerCommand(program);
  registerJobsCommand(program);
  return program;
}

/** Runs the CLI; returns the process exit code (0 ok, 1 failure, 2 usage error). */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    process.stderr.write(`rootgraph: ${userMessage(err)}\n`);
    return isRootgraphError(err, 'INPUT_INVALID') ? 2 : 1;
  }
}

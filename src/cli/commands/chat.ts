import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { runConsoleChat } from '../../../bots/console/console-chat.js';
import { Assistant } from '../../assistant/assistant.js';
import { CypherGate } from '../../assistant/cypher-access.js';
import { GraphFeedbackSink } from '../../assistant/graph-feedback-sink.js';
import { createFreeFormModel } from '../../assistant/llm/create-model.js';
import { loadConfig } from '../../config.js';
import { IncidentStore } from '../../incidents/incident-store.js';
import { withGraph } from '../with-graph.js';

/**
 * `rootgraph chat`: the assistant in the terminal (the chat of the embedded default). Reads one
 * question per line from stdin — a terminal or a pipe — and exits at end of input.
 */
export function registerChatCommand(program: Command): void {
  program
    .command('chat')
    .description('Ask the incident assistant questions in the terminal (reads stdin; "help" lists questions)')
    .option('--user <name>', 'who is asking (feedback is recorded under this name)', safeUser())
    .action(async (opts: { user: string }) => {
      const config = loadConfig();
      const model = config.llm ? await createFreeFormModel(config.llm) : undefined;
      await withGraph(async (graph) => {
        const incidents = new IncidentStore(graph);
        // Whoever runs the CLI can already run `rootgraph cypher`, so the console allowlists them.
        const cypher = new CypherGate({ graph, allow: { users: [opts.user], groups: [] }, limits: config.cypher });
        const assistant = new Assistant({ graph, incidents, feedback: new GraphFeedbackSink(graph, incidents), cypher, model });
        const interactive = Boolean(process.stdin.isTTY);
        if (interactive) process.stdout.write(`rootgraph chat on the ${graph.kind} graph — "help" lists questions, Ctrl-D quits.\n`);
        await runConsoleChat({ assistant, user: opts.user, prompt: interactive });
      });
    });
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'console';
  }
}

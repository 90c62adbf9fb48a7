import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { runConsoleChat } from '../../../bots/console/console-chat.js';
import { Assistant } from '../../../src/assistant/assistant.js';
import { CypherGate } from '../../../src/assistant/cypher-access.js';
import { createFreeFormModel } from '../../../src/assistant/llm/create-model.js';
import { ConsoleNotifier } from '../../../bots/console/console-notifier.js';
import { registerFlow } from '../../../src/flow/register-flow.js';
import { InProcessRunner } from '../../../jobs/in-process-runner.js';
import { channelRateLimiterFor, openJobRunner } from '../../open-runner.js';
import { QueuedFeedbackSink } from '../../../jobs/queued-feedback-sink.js';
import { loadConfig } from '../../../src/config.js';
import { openMetricSource } from '../../compose.js';
import { IncidentStore } from '../../../src/incidents/incident-store.js';
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
        // Feedback goes through the feedback queue, as from `serve`: stored and learned by the RCA weights.
        // With Redis the running workers apply it; embedded, this process does before it exits.
        const runner = openJobRunner(config, { prefix: config.queuePrefix });
        if (!config.redisUrl) {
          registerFlow(
            runner,
            {
              graph,
              incidents,
              metrics: openMetricSource(config),
              notifier: new ConsoleNotifier(),
              limiter: channelRateLimiterFor(runner),
            },
            { queues: ['feedback'] },
          );
        }
        const assistant = new Assistant({ graph, incidents, feedback: new QueuedFeedbackSink(runner), cypher, model });
        const interactive = Boolean(process.stdin.isTTY);
        if (interactive)
          process.stdout.write(`rootgraph chat on the ${graph.kind} graph — "help" lists questions, Ctrl-D quits.\n`);
        try {
          await runConsoleChat({ assistant, user: opts.user, prompt: interactive });
        } finally {
          if (runner instanceof InProcessRunner) await runner.drained();
          await runner.close({ timeoutMs: config.shutdownGraceMs });
        }
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

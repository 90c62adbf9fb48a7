import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { runConsoleChat } from '../../../bots/console/console-chat.js';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { composeRuntime } from '../lazy-compose.js';

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
      // Feedback goes through the feedback queue, as from `serve`: stored and learned by the RCA weights.
      // With Redis the running workers apply it; embedded, this process does before it exits.
      const runtime = await composeRuntime(config, config.redisUrl ? [] : ['worker'], {
        // Start-up info lines would interleave with the conversation; warnings still show.
        logger: createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, 'rootgraph-chat'),
        queues: ['feedback'],
        schedule: false,
        // Whoever runs the CLI can already run `rootgraph cypher`, so the console allowlists them.
        cypherAllow: { users: [opts.user], groups: [] },
      });
      const interactive = Boolean(process.stdin.isTTY);
      if (interactive)
        process.stdout.write(
          `rootgraph chat on the ${runtime.graph.kind} graph — "help" lists questions, Ctrl-D quits.\n`,
        );
      try {
        await runConsoleChat({ assistant: runtime.assistant, user: opts.user, prompt: interactive });
        if (!config.redisUrl) await runtime.runner.drained();
      } finally {
        await runtime.close();
      }
    });
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'console';
  }
}

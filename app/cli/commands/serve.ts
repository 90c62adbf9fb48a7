import { InvalidArgumentError, Option, type Command } from 'commander';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { composeRuntime, ROLES, type Role } from '../lazy-compose.js';

function parseRoles(v: string): Role[] {
  const roles = v
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  for (const r of roles)
    if (!(ROLES as readonly string[]).includes(r))
      throw new InvalidArgumentError(`unknown role "${r}"; roles: ${ROLES.join(', ')}`);
  return roles as Role[];
}

/**
 * `rootgraph serve [--role ingest,worker,bot]`: ingest endpoints, job workers and the chat bot in one
 * process (or some of them), configured from the environment; SIGINT/SIGTERM shut down gracefully.
 */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'Run rootgraph: ingest HTTP server, job workers and the Slack bot (backends from the environment; see README)',
    )
    .addOption(
      new Option('--role <roles>', `comma-separated subset of ${ROLES.join(', ')} (roles split only with REDIS_URL)`)
        .argParser(parseRoles)
        .default([...ROLES], ROLES.join(',')),
    )
    .option('--no-schedule', 'do not (re)create the recurring detection, log-check and alert-tick jobs')
    .action(async (opts: { role: Role[]; schedule: boolean }) => {
      const config = loadConfig();
      const logger = createLogger(config.logLevel, 'rootgraph');
      logger.info(
        {
          graph: config.neo4j ? 'neo4j' : 'memory',
          jobs: config.redisUrl ? 'bullmq' : 'in-process',
          chat: config.slack ? 'slack' : 'console',
          roles: opts.role,
        },
        'starting',
      );
      // Without Redis the jobs run in this process, so it must run every role.
      const roles = config.redisUrl ? opts.role : ROLES;
      if (roles.length !== opts.role.length)
        logger.warn({ asked: opts.role }, 'without REDIS_URL every role runs here');
      const runtime = await composeRuntime(config, roles, { logger, schedule: opts.schedule });
      logger.info({ ...runtime.addresses }, 'ready');
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          logger.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down');
          runtime.close().then(resolve, (err: unknown) => {
            logger.error({ err: String(err) }, 'shutdown failed');
            process.exitCode = 1;
            resolve();
          });
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}

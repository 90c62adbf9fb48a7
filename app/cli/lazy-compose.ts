import type * as Compose from '../compose.js';

// app/compose.ts names every adapter (Neo4j, BullMQ, Fastify, Bolt, langchain, the web UI), and loading
// them costs seconds. Commands import these stand-ins instead, so the adapters load when a command
// runs, not when `rootgraph <command> --help` or another command is parsed.

export type { Role } from '../compose.js';

/** The parts a process can run (as app/compose.ts's ROLES; test/cli/lazy-compose.test.ts keeps them equal). */
export const ROLES: typeof Compose.ROLES = ['ingest', 'worker', 'bot'];

const load = (): Promise<typeof Compose> => import('../compose.js');

/** `withGraph` of app/compose.ts, loaded on first call. */
export const withGraph: typeof Compose.withGraph = async (work, opts) => (await load()).withGraph(work, opts);

/** `withSharedQueues` of app/compose.ts, loaded on first call. */
export const withSharedQueues: typeof Compose.withSharedQueues = async (what, work, opts) =>
  (await load()).withSharedQueues(what, work, opts);

/** `composeRuntime` of app/compose.ts, loaded on first call. */
export const composeRuntime: typeof Compose.composeRuntime = async (config, roles, opts) =>
  (await load()).composeRuntime(config, roles, opts);

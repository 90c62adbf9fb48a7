import { z } from 'zod';
import { RootgraphError } from './errors.js';

/** Everything rootgraph reads from the environment; the only module that touches process.env. */
const EnvSchema = z.object({
  NEO4J_URI: z.string().url().optional(),
  NEO4J_USER: z.string().default('neo4j'),
  NEO4J_PASSWORD: z.string().default(''),
  NEO4J_DATABASE: z.string().optional(),
  REDIS_URL: z.string().url().optional(),
  PROMETHEUS_URL: z.string().url().optional(),
  SLACK_BOT_TOKEN: z.string().optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_APP_TOKEN: z.string().optional(),
  ROOTGRAPH_DATA_DIR: z.string().default('var/data'),
  ROOTGRAPH_INGEST_TOKEN: z.string().optional(),
  ROOTGRAPH_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  ROOTGRAPH_HOST: z.string().default('127.0.0.1'),
  ROOTGRAPH_LLM: z.string().optional(),
  ROOTGRAPH_CYPHER_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  ROOTGRAPH_CYPHER_MAX_ROWS: z.coerce.number().int().positive().default(1_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof EnvSchema>;

/** Resolved configuration: which backends are on and how to reach them. */
export interface Config {
  neo4j?: { uri: string; user: string; password: string; database?: string };
  redisUrl?: string;
  prometheusUrl?: string;
  slack?: { botToken: string; signingSecret?: string; appToken?: string };
  dataDir: string;
  ingest: { host: string; port: number; token?: string };
  llm?: string;
  cypher: { timeoutMs: number; maxRows: number };
  logLevel: Env['LOG_LEVEL'];
}

/** Parses the environment (process.env by default); throws CONFIG_INVALID naming the bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset" so `FOO= rootgraph …` behaves like no FOO.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RootgraphError('CONFIG_INVALID', `${issue.path.join('.')}: ${issue.message}`, {
      hint: 'Fix the environment variable and restart; see the configuration table in README.md.',
    });
  }
  const e = parsed.data;
  return {
    neo4j: e.NEO4J_URI
      ? { uri: e.NEO4J_URI, user: e.NEO4J_USER, password: e.NEO4J_PASSWORD, database: e.NEO4J_DATABASE }
      : undefined,
    redisUrl: e.REDIS_URL,
    prometheusUrl: e.PROMETHEUS_URL,
    slack: e.SLACK_BOT_TOKEN
      ? { botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, appToken: e.SLACK_APP_TOKEN }
      : undefined,
    dataDir: e.ROOTGRAPH_DATA_DIR,
    ingest: { host: e.ROOTGRAPH_HOST, port: e.ROOTGRAPH_PORT, token: e.ROOTGRAPH_INGEST_TOKEN },
    llm: e.ROOTGRAPH_LLM,
    cypher: { timeoutMs: e.ROOTGRAPH_CYPHER_TIMEOUT_MS, maxRows: e.ROOTGRAPH_CYPHER_MAX_ROWS },
    logLevel: e.LOG_LEVEL,
  };
}

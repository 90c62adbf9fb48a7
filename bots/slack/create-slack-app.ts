import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel, type webApi } from '@slack/bolt';
import type { Assistant } from '../../src/assistant/assistant.js';
import { loadCardContext } from '../../src/assistant/card-context.js';
import type { IncidentCorrections } from '../../src/ports/incident-corrections.js';
import type { GroupMembership } from '../../src/assistant/cypher-access.js';
import type { Config } from '../../src/config.js';
import { RootgraphError } from '../../src/errors.js';
import type { FeedbackSink } from '../../src/ports/feedback-sink.js';
import type { IncidentStore } from '../../src/incidents/incident-store.js';
import { CardIndex } from './card-index.js';
import { registerActions } from './register-actions.js';
import { registerCommands } from './register-commands.js';
import { registerHome } from './register-home.js';
import { registerReactions } from './register-reactions.js';
import type { RoutingConfig } from './routing.js';
import { SlackGroupMembership } from './slack-groups.js';
import { SlackNotifier } from './slack-notifier.js';
import { SlackOutbox, type SlackOutboxOptions } from './slack-outbox.js';

/** HTTP mode (Slack calls us; requests signed with the signing secret) or Socket Mode (we dial out). */
export type SlackMode =
  { kind: 'http'; signingSecret: string; processBeforeResponse?: boolean } | { kind: 'socket'; appToken: string };

/** Everything the Slack app needs; the assistant may be built once the Slack client exists (Cypher user groups). */
export interface SlackAppOptions {
  botToken: string;
  mode: SlackMode;
  /**
   * The assistant, or a factory given what Slack provides: user groups (Cypher allowlist), the Web API
   * client and the notifier (lifecycle changes from chat and buttons republish the card through it).
   */
  assistant:
    Assistant | ((slack: { groups: GroupMembership; client: webApi.WebClient; notifier: SlackNotifier }) => Assistant);
  incidents: IncidentStore;
  routing: RoutingConfig;
  feedback?: FeedbackSink;
  corrections?: IncidentCorrections;
  /** Where the Web API lives (tests point it at a local stand-in); Slack's by default. */
  slackApiUrl?: string;
  outbox?: SlackOutboxOptions;
  command?: string;
  now?: () => number;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

/** The running pieces: the Bolt app, the notifier jobs publish cards with, and start/stop. */
export interface SlackBot {
  app: App;
  notifier: SlackNotifier;
  assistant: Assistant;
  /** HTTP mode: listens on host:port (0 = any free port) and resolves with the port; Socket Mode: connects. */
  start(listen?: { port: number; host?: string }): Promise<{ port?: number }>;
  stop(): Promise<void>;
}

/**
 * Builds the Slack bot: a Bolt app in HTTP or Socket Mode whose handlers only translate between
 * Slack and the assistant, the SlackNotifier for incident cards, and the shared outbox that keeps
 * every outgoing call at ~1/s per channel with 429 retries (so the Web API client rejects 429s to us).
 */
export function createSlackApp(opts: SlackAppOptions): SlackBot {
  const logLevel = { debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR }[
    opts.logLevel ?? 'info'
  ];
  const clientOptions: webApi.WebClientOptions = {
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 2, minTimeout: 200, maxTimeout: 2_000 },
    ...(opts.slackApiUrl ? { slackApiUrl: opts.slackApiUrl } : {}),
  };
  const receiver =
    opts.mode.kind === 'http'
      ? new HTTPReceiver({
          signingSecret: opts.mode.signingSecret,
          processBeforeResponse: opts.mode.processBeforeResponse ?? false,
          logLevel,
        })
      : undefined;
  const app =
    opts.mode.kind === 'http'
      ? new App({ token: opts.botToken, receiver, clientOptions, logLevel })
      : new App({ token: opts.botToken, appToken: opts.mode.appToken, socketMode: true, clientOptions, logLevel });
  const outbox = new SlackOutbox(opts.outbox);
  const cards = new CardIndex(opts.incidents);
  // The notifier reads card context through the assistant, which is built next with the notifier.
  const built: { assistant?: Assistant } = {};
  const notifier = new SlackNotifier({
    client: app.client,
    routing: opts.routing,
    outbox,
    cards,
    corrections: Boolean(opts.corrections),
    openIncidents: async () => (await opts.incidents.listOpen(100)).map((i) => i.number),
    cardContext: (incident) =>
      built.assistant
        ? loadCardContext(built.assistant.context, incident)
        : Promise.reject(new Error('assistant not ready')),
  });
  const assistant = (built.assistant =
    typeof opts.assistant === 'function'
      ? opts.assistant({ groups: new SlackGroupMembership(app.client), client: app.client, notifier })
      : opts.assistant);
  const deps = {
    assistant,
    incidents: opts.incidents,
    notifier,
    cards,
    outbox,
    feedback: opts.feedback,
    corrections: opts.corrections,
    now: opts.now ?? Date.now,
  };
  registerCommands(app, deps, opts.command);
  registerActions(app, deps);
  registerReactions(app, deps);
  registerHome(app, deps);
  return {
    app,
    notifier,
    assistant,
    async start(listen = { port: 3000 }) {
      if (opts.mode.kind === 'socket') {
        await app.start();
        return {};
      }
      const server = (await app.start({ port: listen.port, host: listen.host ?? '127.0.0.1' })) as {
        address(): AddressInfo | string | null;
      };
      const addr = server.address();
      return { port: typeof addr === 'object' && addr ? addr.port : listen.port };
    },
    stop: () => app.stop().then(() => undefined),
  };
}

/** The Slack mode the configuration asks for: Socket Mode when an app token is set, else HTTP with the signing secret. */
export function slackModeFromConfig(config: Config): { botToken: string; mode: SlackMode } {
  const s = config.slack;
  if (!s)
    throw new RootgraphError('CONFIG_INVALID', 'Slack is not configured.', {
      hint: 'Set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode).',
    });
  if (s.appToken) return { botToken: s.botToken, mode: { kind: 'socket', appToken: s.appToken } };
  if (s.signingSecret) return { botToken: s.botToken, mode: { kind: 'http', signingSecret: s.signingSecret } };
  throw new RootgraphError(
    'CONFIG_INVALID',
    'SLACK_BOT_TOKEN is set but neither SLACK_SIGNING_SECRET nor SLACK_APP_TOKEN.',
    { hint: 'Set SLACK_SIGNING_SECRET for HTTP mode or SLACK_APP_TOKEN for Socket Mode.' },
  );
}

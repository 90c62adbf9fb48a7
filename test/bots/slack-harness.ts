import { Assistant } from '../../src/assistant/assistant.js';
import type { IncidentCorrections } from '../../src/ports/incident-corrections.js';
import { CypherGate } from '../../src/assistant/cypher-access.js';
import { GraphFeedbackSink } from '../../src/assistant/graph-feedback-sink.js';
import type { GraphStore } from '../../src/graph/graph-store.js';
import { IncidentStore } from '../../src/incidents/incident-store.js';
import { createSlackApp, type SlackBot } from '../../bots/slack/create-slack-app.js';
import { SlackStandIn } from '../helpers/slack-standin.js';
import { NOW } from '../assistant/fixture.js';

export const SECRET = 'test-signing-secret';

/** A running Bolt app over HTTP on loopback, its Web API pointed at a recording stand-in. */
export interface Harness {
  bot: SlackBot;
  standIn: SlackStandIn;
  events: string;
  incidents: IncidentStore;
  close(): Promise<void>;
}

/** Starts the real Slack app over the given graph; Cypher allowed for USRE and members of group SOPS. */
export async function startHarness(
  graph: GraphStore,
  opts: { corrections?: IncidentCorrections; clock?: () => number } = {},
): Promise<Harness> {
  const standIn = await new SlackStandIn().start();
  standIn.groups.set('SOPS', ['UGRP']);
  const incidents = new IncidentStore(graph, () => NOW);
  const feedback = new GraphFeedbackSink(graph, incidents);
  const bot = createSlackApp({
    botToken: 'xoxb-test',
    mode: { kind: 'http', signingSecret: SECRET, processBeforeResponse: true },
    assistant: ({ groups, notifier }) =>
      new Assistant({
        graph,
        incidents,
        feedback,
        notifier,
        links: { runbook: 'https://runbooks.example/{alertname}', alertmanager: 'http://alertmanager.example:9093' },
        now: opts.clock ?? (() => NOW),
        cypher: new CypherGate({
          graph,
          allow: { users: ['USRE'], groups: ['SOPS'] },
          groups,
          limits: { timeoutMs: 5_000, maxRows: 50 },
        }),
      }),
    incidents,
    feedback,
    corrections: opts.corrections,
    routing: { defaultChannel: 'CINC', routes: [{ channel: 'CSHOP', namespace: 'boutique' }], teams: {} },
    slackApiUrl: standIn.apiUrl,
    outbox: { intervalMs: 10 },
    logLevel: 'error',
  });
  const { port } = await bot.start({ port: 0 });
  return {
    bot,
    standIn,
    incidents,
    events: `http://127.0.0.1:${port}/slack/events`,
    async close() {
      await bot.stop();
      await standIn.stop();
    },
  };
}

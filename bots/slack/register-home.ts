import type { App, types } from '@slack/bolt';
import type { Incident } from '../../src/incidents/incident.js';
import { toIncidentCard } from '../../src/assistant/incident-card.js';
import { EXAMPLES } from '../../src/assistant/help.js';
import { clip, clipLines, SLACK_LIMITS } from './render/limits.js';
import type { SlackDeps } from './slack-deps.js';

/** The App Home tab: open incidents with their top suspect, and what to ask. Pure. */
export function toHomeView(open: Incident[]): types.HomeView {
  const shown = open.slice(0, 40);
  const blocks: types.KnownBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: open.length ? `${open.length} open incident${open.length === 1 ? '' : 's'}` : 'No open incidents',
      },
    },
  ];
  for (const i of shown) {
    const top = toIncidentCard(i).candidates[0];
    const where = i.card ? ` · <https://slack.com/archives/${i.card.channel}/p${i.card.ts.replace('.', '')}|card>` : '';
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(
          `*#${i.number}* [${i.severity}] ${i.title}\n${top ? `Top suspect \`${top.name}\` (${top.score.toFixed(2)}): ${top.why}` : 'Not diagnosed yet.'}${where}`,
          SLACK_LIMITS.sectionText,
        ),
      },
    });
  }
  if (open.length > shown.length)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `…and ${open.length - shown.length} more: \`/rootgraph incidents\`` }],
    });
  blocks.push(
    { type: 'divider' },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clipLines(['*Ask me*', ...EXAMPLES.map(([q, what]) => `\`/rootgraph ${q}\` — ${what}`)]),
      },
    },
  );
  return { type: 'home', blocks };
}

/** Publishes the Home tab whenever a user opens it. */
export function registerHome(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab && event.tab !== 'home') return;
    await client.views.publish({ user_id: event.user, view: toHomeView(await deps.incidents.listOpen(100)) });
  });
}

import type { App } from '@slack/bolt';
import type { FeedbackInput } from '../../src/incidents/feedback.js';
import { giveFeedback } from './give-feedback.js';
import type { SlackDeps } from './slack-deps.js';

/** Reactions that count as a verdict on a card's top candidate. */
export const REACTION_VERDICTS: Record<string, FeedbackInput['verdict']> = {
  white_check_mark: 'root-cause',
  heavy_check_mark: 'root-cause',
  x: 'not-root-cause',
};

/** ✅ / ❌ on an incident card: feedback on its top candidate, acknowledged in the card's thread. */
export function registerReactions(app: App, deps: SlackDeps): void {
  app.event('reaction_added', async ({ event }) => {
    const verdict = REACTION_VERDICTS[event.reaction];
    if (!verdict || event.item.type !== 'message') return;
    const card = { channel: event.item.channel, ts: event.item.ts };
    const number = await deps.cards.incidentAt(card.channel, card.ts);
    if (number === undefined) return; // a reaction on some other message
    const incident = await deps.incidents.get(number);
    const top = incident?.suspects.slice().sort((a, b) => a.rank - b.rank)[0];
    if (!top) {
      await deps.notifier.reply(card, `<@${event.user}>: incident #${number} has no candidate yet; nothing recorded.`);
      return;
    }
    await giveFeedback(
      deps,
      { incident: number, entity: top.entity, verdict, by: event.user, source: 'reaction' },
      card,
    );
  });
}

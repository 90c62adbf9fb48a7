import type { types, webApi } from '@slack/bolt';
import type { CardContext } from '../../src/assistant/card-context.js';
import type { Incident } from '../../src/incidents/incident.js';
import type { CardRef, Notifier } from '../../src/ports/notifier.js';
import { CardIndex } from './card-index.js';
import { incidentFallbackText, toIncidentBlocks } from './render/incident-blocks.js';
import { clip, SLACK_LIMITS } from './render/limits.js';
import { routeIncident, type RoutingConfig } from './routing.js';
import { SlackOutbox } from './slack-outbox.js';

/** What the notifier needs: a Web API client, where cards go, and the shared outbox and card index. */
export interface SlackNotifierOptions {
  client: webApi.WebClient;
  routing: RoutingConfig;
  outbox?: SlackOutbox;
  cards?: CardIndex;
  /** Offer merge/split menus on cards (an IncidentCorrections is wired). */
  corrections?: boolean;
  /** Other open incidents, for the merge menu. */
  openIncidents?: () => Promise<number[]>;
  /** What the graph says around an incident (alerts, changes, owners, links) for its card. */
  cardContext?: (incident: Incident) => Promise<CardContext>;
}

/**
 * Incident cards in Slack: `chat.postMessage` the first time (to the routed channel), `chat.update`
 * of the same message after — one incident is one message whatever its revisions. Publishes of one
 * incident are serialised so two quick revisions cannot both post. Follow-ups go in the card's thread.
 */
export class SlackNotifier implements Notifier {
  readonly kind = 'slack';
  readonly cards: CardIndex;
  private readonly outbox: SlackOutbox;
  private readonly pending = new Map<number, Promise<unknown>>();

  constructor(private readonly opts: SlackNotifierOptions) {
    this.cards = opts.cards ?? new CardIndex();
    this.outbox = opts.outbox ?? new SlackOutbox();
  }

  publish(incident: Incident): Promise<CardRef> {
    const run = (this.pending.get(incident.number) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.publishNow(incident));
    this.pending.set(incident.number, run);
    void run
      .catch(() => undefined)
      .finally(() => {
        if (this.pending.get(incident.number) === run) this.pending.delete(incident.number);
      });
    return run;
  }

  async reply(card: CardRef, text: string, blocks?: types.KnownBlock[]): Promise<void> {
    await this.outbox.send(card.channel, () =>
      this.opts.client.chat.postMessage({
        channel: card.channel,
        thread_ts: card.ts,
        text: clip(text, SLACK_LIMITS.messageText),
        ...(blocks ? { blocks } : {}),
      }),
    );
  }

  private async publishNow(incident: Incident): Promise<CardRef> {
    const others = this.opts.corrections && this.opts.openIncidents ? await this.opts.openIncidents() : [];
    // A card without its context still shows the diagnosis: the graph read must not block the post.
    const context = await this.opts.cardContext?.(incident).catch(() => undefined);
    const blocks = toIncidentBlocks(incident, { corrections: this.opts.corrections, otherOpen: others, context });
    const text = incidentFallbackText(incident);
    const existing = this.cards.cardOf(incident.number) ?? incident.card;
    if (existing) {
      await this.outbox.send(existing.channel, () =>
        this.opts.client.chat.update({ channel: existing.channel, ts: existing.ts, text, blocks }),
      );
      this.cards.remember(incident.number, existing);
      return existing;
    }
    const channel = routeIncident(incident, this.opts.routing);
    const res = await this.outbox.send(channel, () =>
      this.opts.client.chat.postMessage({ channel, text, blocks, unfurl_links: false }),
    );
    const card = { channel: res.channel ?? channel, ts: String(res.ts) };
    this.cards.remember(incident.number, card);
    return card;
  }
}

import type { Incident } from '../incidents/incident.js';

/** Where an incident's card lives once published. */
export interface CardRef {
  channel: string;
  ts: string;
}

/**
 * Publishes incident cards (Slack, console). Implementations post a card the first time and edit the
 * same card afterwards (`incident.card` set), so one incident is one message whatever its revisions.
 */
export interface Notifier {
  readonly kind: string;
  publish(incident: Incident): Promise<CardRef | undefined>;
  /** A follow-up in the card's thread (feedback acknowledgements, details). */
  reply(card: CardRef, text: string): Promise<void>;
}

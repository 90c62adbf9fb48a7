import type { Incident } from '../../src/incidents/incident.js';
import type { CardRef, Notifier } from '../../src/ports/notifier.js';
import { actionFor, type PagerDutyAction, type PagerDutyEvents } from './pagerduty-events.js';

/**
 * A Notifier that also keeps PagerDuty in step: after the card is published, the incident's state goes
 * to PagerDuty (trigger when open, acknowledge when acknowledged, resolve when resolved) whenever it
 * changed since this process last sent it. A PagerDuty failure never blocks the card: it is reported
 * to `onError` and sent again with the incident's next publish.
 */
export class PagerDutyNotifier implements Notifier {
  readonly kind: string;
  private readonly sent = new Map<number, PagerDutyAction>();

  constructor(
    private readonly inner: Notifier,
    private readonly events: PagerDutyEvents,
    private readonly onError: (err: unknown, incident: number) => void = () => undefined,
  ) {
    this.kind = `${inner.kind}+pagerduty`;
  }

  async publish(incident: Incident): Promise<CardRef | undefined> {
    const card = await this.inner.publish(incident);
    const action = actionFor(incident);
    // After a restart the map is empty and the state is sent again: PagerDuty deduplicates by key.
    if (this.sent.get(incident.number) !== action) {
      try {
        await this.events.send(incident, action);
        this.sent.set(incident.number, action);
      } catch (err) {
        this.onError(err, incident.number);
      }
    }
    return card;
  }

  reply(card: CardRef, text: string): Promise<void> {
    return this.inner.reply(card, text);
  }
}

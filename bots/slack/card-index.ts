import type { IncidentStore } from '../../src/incidents/incident-store.js';
import type { CardRef } from '../../src/ports/notifier.js';

/**
 * Which message is which incident's card, both ways. Filled by the notifier as it posts; falls back
 * to the incidents' stored `card` so reactions still find their incident after a restart.
 */
export class CardIndex {
  private readonly byNumber = new Map<number, CardRef>();
  private readonly byMessage = new Map<string, number>();

  constructor(private readonly incidents?: IncidentStore) {}

  remember(incident: number, card: CardRef): void {
    this.byNumber.set(incident, card);
    this.byMessage.set(`${card.channel}/${card.ts}`, incident);
  }

  cardOf(incident: number): CardRef | undefined {
    return this.byNumber.get(incident);
  }

  /** The incident whose card is the message (channel, ts), if any. */
  async incidentAt(channel: string, ts: string): Promise<number | undefined> {
    const known = this.byMessage.get(`${channel}/${ts}`);
    if (known !== undefined || !this.incidents) return known;
    const found = (await this.incidents.list(500)).find((i) => i.card?.channel === channel && i.card.ts === ts);
    if (found) this.remember(found.number, { channel, ts });
    return found?.number;
  }
}

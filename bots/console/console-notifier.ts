import type { Writable } from 'node:stream';
import type { CardContext } from '../../src/assistant/card-context.js';
import type { Incident } from '../../src/incidents/incident.js';
import type { CardRef, Notifier } from '../../src/ports/notifier.js';
import { renderIncidentText } from './render-text.js';

/**
 * Notifier for the embedded default: prints each incident card as text. The first publish prints
 * the card; later ones print it again marked as an update of the same card (a terminal cannot edit).
 * With a card-context loader, the card shows alerts, changes, owners and links too.
 */
export class ConsoleNotifier implements Notifier {
  readonly kind = 'console';
  private readonly seen = new Set<number>();

  constructor(
    private readonly out: Writable = process.stdout,
    private readonly cardContext?: (incident: Incident) => Promise<CardContext>,
  ) {}

  async publish(incident: Incident): Promise<CardRef> {
    const update = this.seen.has(incident.number) || incident.card !== undefined;
    this.seen.add(incident.number);
    const context = await this.cardContext?.(incident).catch(() => undefined);
    this.out.write(
      `${update ? `-- update of incident #${incident.number} (revision ${incident.revision})\n` : ''}${renderIncidentText(incident, context)}\n`,
    );
    return incident.card ?? { channel: 'console', ts: String(incident.number) };
  }

  async reply(card: CardRef, text: string): Promise<void> {
    this.out.write(`  ↳ [incident #${card.ts}] ${text}\n`);
  }
}

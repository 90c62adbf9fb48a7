import type { Incident } from '../src/incidents/incident.js';
import type { CardRef, Notifier } from '../src/incidents/notifier.js';

/**
 * A Notifier that writes one line per card revision to a stream (stdout by default): what a worker
 * publishes when no chat is configured. The card ref is stable per incident, so revisions "edit" it.
 */
export class ConsoleNotifier implements Notifier {
  readonly kind = 'console';

  constructor(private readonly write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {}

  async publish(incident: Incident): Promise<CardRef | undefined> {
    const top = incident.suspects.slice(0, 3).map((s) => `#${s.rank} ${s.entity} (${s.score}) ${s.why}`).join(' | ');
    this.write(`[incident ${incident.number} r${incident.revision}] ${incident.status} ${incident.severity}: ${incident.title}${top ? ` — ${top}` : ''}`);
    return incident.card ?? { channel: 'console', ts: String(incident.number) };
  }

  async reply(card: CardRef, text: string): Promise<void> {
    this.write(`[${card.channel} ${card.ts}] ${text}`);
  }
}

import type { Incident } from '../../src/incidents/incident.js';
import { shortName } from '../../src/model/short-name.js';
import type { CardRef, Notifier } from '../../src/ports/notifier.js';

/**
 * The demo's notifier: one line per card publication (a terminal cannot edit a card in place),
 * keeping the latest revision of each incident so the demo can print the final card once.
 */
export class DemoNotifier implements Notifier {
  readonly kind = 'demo';
  readonly latest = new Map<number, Incident>();

  constructor(private readonly out: (line: string) => void) {}

  async publish(incident: Incident): Promise<CardRef> {
    const first = !this.latest.has(incident.number);
    this.latest.set(incident.number, incident);
    const top = incident.suspects[0];
    const what = top ? `top suspect ${shortName(top.entity)} (${top.why})` : 'no diagnosis yet';
    this.out(
      `  ${first ? '▶ card posted ' : '↻ card updated'}  incident #${incident.number} r${incident.revision} [${incident.status}] ${incident.title} — ${what}`,
    );
    return incident.card ?? { channel: 'console', ts: String(incident.number) };
  }

  async reply(card: CardRef, text: string): Promise<void> {
    this.out(`  ↳ incident #${card.ts}: ${text}`);
  }
}

/** The readable name at the end of a uid; the model's, re-exported for the demo's callers. */
export { shortName };

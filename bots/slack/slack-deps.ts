import type { Assistant } from '../../src/assistant/assistant.js';
import type { IncidentCorrections } from '../../src/ports/incident-corrections.js';
import type { FeedbackSink } from '../../src/ports/feedback-sink.js';
import type { IncidentStore } from '../../src/incidents/incident-store.js';
import type { CardIndex } from './card-index.js';
import type { SlackNotifier } from './slack-notifier.js';
import type { SlackOutbox } from './slack-outbox.js';

/** What the Slack handlers share: the assistant answers, the rest carries feedback and cards. */
export interface SlackDeps {
  assistant: Assistant;
  incidents: IncidentStore;
  notifier: SlackNotifier;
  cards: CardIndex;
  outbox: SlackOutbox;
  feedback?: FeedbackSink;
  corrections?: IncidentCorrections;
  now: () => number;
}

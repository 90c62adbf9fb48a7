import { userMessage } from '../../src/errors.js';
import type { FeedbackInput } from '../../src/incidents/feedback.js';
import type { CardRef } from '../../src/ports/notifier.js';
import type { SlackDeps } from './slack-deps.js';

/**
 * Sends one verdict to the FeedbackSink and acknowledges it in the card's thread (or says why it
 * failed there). Never throws: a click or reaction must not crash the listener.
 */
export async function giveFeedback(deps: SlackDeps, f: Omit<FeedbackInput, 'at'>, card: CardRef): Promise<boolean> {
  let text: string;
  let stored = false;
  if (!deps.feedback) text = 'Feedback is not wired to this bot, so it was not recorded.';
  else {
    try {
      const res = await deps.feedback.submit({ ...f, at: deps.now() });
      stored = res.stored;
      text = `<@${f.by}>: ${res.message}`;
    } catch (err) {
      text = `<@${f.by}>: feedback not recorded — ${userMessage(err)}`;
    }
  }
  await deps.notifier.reply(card, text).catch(() => undefined);
  return stored;
}

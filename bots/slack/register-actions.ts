import type {
  App,
  BlockAction,
  ButtonAction,
  MultiStaticSelectAction,
  OverflowAction,
  StaticSelectAction,
} from '@slack/bolt';
import { userMessage } from '../../src/errors.js';
import type { FeedbackInput } from '../../src/incidents/feedback.js';
import { ACTIONS, candidateEntity, decodeCandidate } from './action-ids.js';
import type { CardRef } from '../../src/ports/notifier.js';
import { cardOf } from './card-of.js';
import { giveFeedback } from './give-feedback.js';
import { postReply } from './post-reply.js';
import { registerLifecycle } from './register-lifecycle.js';
import { suspectBlocks } from './render/incident-blocks.js';
import type { SlackDeps } from './slack-deps.js';

async function feedbackFrom(
  deps: SlackDeps,
  body: BlockAction,
  value: string,
  verdict: FeedbackInput['verdict'],
  source: FeedbackInput['source'],
): Promise<void> {
  const card = cardOf(body);
  const ref = decodeCandidate(value);
  if (!card || !ref) return;
  const incident = await deps.incidents.get(ref.incident);
  const entity = incident ? candidateEntity(ref, incident) : 'entity' in ref ? ref.entity : undefined;
  if (!entity) {
    await deps.notifier.reply(
      card,
      `<@${body.user.id}>: that candidate is no longer on incident #${ref.incident}; nothing recorded.`,
    );
    return;
  }
  await giveFeedback(deps, { incident: ref.incident, entity, verdict, by: body.user.id, source }, card);
}

/** Answers a question picked from a card (a follow-up button or menu item) in the card's thread. */
async function askFromCard(deps: SlackDeps, body: BlockAction, question: string, client: App['client']): Promise<void> {
  const card = cardOf(body);
  if (!card || !question) return;
  const reply = await deps.assistant.answer({ text: question, user: body.user.id, channel: card.channel });
  await postReply(deps, client, { channel: card.channel, thread_ts: body.message?.thread_ts ?? card.ts }, reply);
}

/**
 * The card's buttons and menus: the top suspect's overflow (root cause, not this, why, logs), the other
 * suspects' menu, "Root cause" / "Not this" buttons in the thread, "name the actual root cause",
 * lifecycle (register-lifecycle.ts), merge/split corrections, and follow-up questions. Each
 * acknowledges in the card's thread.
 */
export function registerActions(app: App, deps: SlackDeps): void {
  registerLifecycle(app, deps);
  app.action<BlockAction<OverflowAction>>(ACTIONS.topMenu, async ({ ack, body, action, client }) => {
    await ack();
    const value = action.selected_option.value;
    const [verb, rest] = [value.slice(0, value.indexOf('|')), value.slice(value.indexOf('|') + 1)];
    if (verb === 'root') await feedbackFrom(deps, body, rest, 'root-cause', 'menu');
    else if (verb === 'not') await feedbackFrom(deps, body, rest, 'not-root-cause', 'menu');
    else if (verb === 'ask') await askFromCard(deps, body, rest, client);
  });
  app.action<BlockAction<StaticSelectAction>>(ACTIONS.pickSuspect, async ({ ack, body, action }) => {
    await ack();
    const card = cardOf(body);
    const ref = decodeCandidate(action.selected_option.value);
    if (!card || !ref) return;
    const incident = await deps.incidents.get(ref.incident);
    const entity = incident ? candidateEntity(ref, incident) : undefined;
    if (!incident || !entity) {
      await deps.notifier.reply(card, `<@${body.user.id}>: that suspect is no longer on incident #${ref.incident}.`);
      return;
    }
    await deps.notifier.reply(
      card,
      `Suspect ${action.selected_option.text.text} of incident #${incident.number}`,
      suspectBlocks(incident, entity),
    );
  });
  app.action<BlockAction<ButtonAction>>(ACTIONS.rootCause, async ({ ack, body, action }) => {
    await ack();
    await feedbackFrom(deps, body, action.value ?? '', 'root-cause', 'button');
  });
  app.action<BlockAction<ButtonAction>>(ACTIONS.notThis, async ({ ack, body, action }) => {
    await ack();
    await feedbackFrom(deps, body, action.value ?? '', 'not-root-cause', 'button');
  });
  app.action<BlockAction<StaticSelectAction>>(ACTIONS.nameRootCause, async ({ ack, body, action }) => {
    await ack();
    await feedbackFrom(deps, body, action.selected_option.value, 'root-cause', 'menu');
  });
  app.action<BlockAction<StaticSelectAction>>(ACTIONS.merge, async ({ ack, body, action }) => {
    await ack();
    const m = /^(\d+)>(\d+)$/.exec(action.selected_option.value);
    const card = cardOf(body);
    if (!m || !card) return;
    await correct(deps, card, () =>
      deps.corrections!.merge({ into: Number(m[1]), from: Number(m[2]), by: body.user.id, at: deps.now() }),
    );
  });
  app.action<BlockAction<MultiStaticSelectAction>>(ACTIONS.split, async ({ ack, body, action }) => {
    await ack();
    const picked = action.selected_options
      .map((o) => /^(\d+)\|(.+)$/.exec(o.value))
      .filter((m): m is RegExpExecArray => m !== null);
    const card = cardOf(body);
    if (picked.length === 0 || !card) return;
    await correct(deps, card, () =>
      deps.corrections!.split({
        incident: Number(picked[0][1]),
        fingerprints: picked.map((m) => m[2]),
        by: body.user.id,
        at: deps.now(),
      }),
    );
  });
  app.action<BlockAction<ButtonAction>>(new RegExp(`^${ACTIONS.ask}_\\d+$`), async ({ ack, body, action, client }) => {
    await ack();
    await askFromCard(deps, body, action.value ?? '', client);
  });
}

async function correct(deps: SlackDeps, card: CardRef, run: () => Promise<{ message: string }>): Promise<void> {
  if (!deps.corrections) {
    await deps.notifier.reply(card, 'Merge and split are not wired to this bot.');
    return;
  }
  const text = await run().then(
    (r) => r.message,
    (err: unknown) => `Correction failed: ${userMessage(err)}`,
  );
  await deps.notifier.reply(card, text);
}

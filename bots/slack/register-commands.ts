import type { App } from '@slack/bolt';
import { userMessage } from '../../src/errors.js';
import { clip, SLACK_LIMITS } from './render/limits.js';
import { toReplyBlocks } from './render/reply-blocks.js';
import { postReply, uploadLargeTable } from './post-reply.js';
import type { SlackDeps } from './slack-deps.js';

/**
 * `/rootgraph …` and `@rootgraph …`: both only translate — the assistant answers. Slash command
 * answers go to the command's response_url (errors only to the asker); mentions are answered in thread.
 */
export function registerCommands(app: App, deps: SlackDeps, command = '/rootgraph'): void {
  app.command(command, async ({ command: cmd, ack, respond, client }) => {
    await ack(); // Slack wants the ack within 3 s
    const reply = await deps.assistant.answer({ text: cmd.text || 'help', user: cmd.user_id, channel: cmd.channel_id });
    const tableAsFile = await uploadLargeTable(deps, client, { channel: cmd.channel_id }, reply);
    const open = (await deps.incidents.listOpen(100)).map((i) => i.number);
    await respond({
      response_type: reply.error ? 'ephemeral' : 'in_channel',
      text: clip(reply.title, SLACK_LIMITS.messageText),
      blocks: toReplyBlocks(reply, { tableAsFile, corrections: Boolean(deps.corrections), otherOpen: open }),
    });
  });

  app.event('app_mention', async ({ event, client, logger }) => {
    const where = { channel: event.channel, thread_ts: event.thread_ts ?? event.ts };
    try {
      const reply = await deps.assistant.answer({
        text: event.text,
        user: event.user ?? 'unknown',
        channel: event.channel,
      });
      await postReply(deps, client, where, reply);
    } catch (err) {
      logger.error(`answering a mention failed: ${userMessage(err)}`);
    }
  });
}

import type { webApi } from '@slack/bolt';
import type { Reply } from '../../src/assistant/reply.js';
import { tableText } from '../../src/assistant/table-text.js';
import { inlineTable, toReplyBlocks } from './render/reply-blocks.js';
import { clip, SLACK_LIMITS } from './render/limits.js';
import type { SlackDeps } from './slack-deps.js';

/**
 * Uploads a reply's table as a file when it is too long for a code block (files.uploadV2), in the
 * channel (and thread) the question came from. Returns a phrase for the reply, or undefined when inline.
 */
export async function uploadLargeTable(
  deps: SlackDeps,
  client: webApi.WebClient,
  where: { channel: string; thread_ts?: string },
  reply: Reply,
): Promise<string | undefined> {
  if (!reply.table || inlineTable(reply)) return undefined;
  const content = tableText(reply.table, 200);
  try {
    await deps.outbox.send(where.channel, () =>
      client.filesUploadV2({
        channel_id: where.channel,
        ...(where.thread_ts ? { thread_ts: where.thread_ts } : {}),
        content,
        filename: 'cypher-result.txt',
        title: clip(reply.title, 200),
        initial_comment: clip(reply.title, 1_000),
      } as webApi.FilesUploadV2Arguments),
    );
    return 'it is attached as the file cypher-result.txt';
  } catch (err) {
    return `uploading it as a file failed (${(err as Error).message}); add LIMIT to the query`;
  }
}

/** Posts a reply as a message (mentions, follow-up buttons), in a thread when given. */
export async function postReply(
  deps: SlackDeps,
  client: webApi.WebClient,
  where: { channel: string; thread_ts?: string },
  reply: Reply,
): Promise<void> {
  const tableAsFile = await uploadLargeTable(deps, client, where, reply);
  const open = (await deps.incidents.listOpen(100)).map((i) => i.number);
  const blocks = toReplyBlocks(reply, { tableAsFile, corrections: Boolean(deps.corrections), otherOpen: open });
  await deps.outbox.send(where.channel, () =>
    client.chat.postMessage({
      channel: where.channel,
      ...(where.thread_ts ? { thread_ts: where.thread_ts } : {}),
      text: clip(reply.title, SLACK_LIMITS.messageText),
      blocks,
      unfurl_links: false,
    }),
  );
}

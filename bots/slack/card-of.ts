import type { BlockAction } from '@slack/bolt';
import type { CardRef } from '../../src/ports/notifier.js';

/** The message an interaction came from: the card acknowledgements thread under. */
export function cardOf(body: BlockAction): CardRef | undefined {
  const channel = body.channel?.id ?? body.container?.channel_id;
  const ts = body.message?.ts ?? body.container?.message_ts;
  return channel && ts ? { channel, ts: String(ts) } : undefined;
}

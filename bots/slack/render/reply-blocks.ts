import type { types } from '@slack/bolt';
import type { Reply } from '../../../src/assistant/reply.js';
import { tableText } from '../../../src/assistant/table-text.js';
import { ACTIONS } from '../action-ids.js';
import { toIncidentBlocks, type IncidentBlocksOptions } from './incident-blocks.js';
import { SLACK_LIMITS, clip, clipLines } from './limits.js';

type KnownBlock = types.KnownBlock;

/** Code-block tables longer than this go out as a file instead. */
export const TABLE_INLINE_MAX = SLACK_LIMITS.sectionText - 10;

/** The table as a Slack code block, or undefined when it is too long to show inline. */
export function inlineTable(reply: Reply): string | undefined {
  if (!reply.table) return undefined;
  const text = `\`\`\`${tableText(reply.table, 40).replaceAll('```', "'''")}\`\`\``;
  return text.length <= TABLE_INLINE_MAX ? text : undefined;
}

/**
 * An assistant reply as Block Kit: title, note, the incident card when there is one, the sections,
 * the table (inline when short; the caller uploads long ones), evidence, and follow-up buttons. Pure;
 * within Slack's limits.
 */
export function toReplyBlocks(reply: Reply, opts: IncidentBlocksOptions & { tableAsFile?: string } = {}): KnownBlock[] {
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(`${reply.error ? ':warning: ' : ''}*${reply.title}*`, SLACK_LIMITS.sectionText),
      },
    },
  ];
  if (reply.note)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: clip(`_${reply.note}_`, SLACK_LIMITS.contextText) }],
    });
  if (reply.incident)
    blocks.push(
      ...toIncidentBlocks(reply.incident, { ...opts, context: opts.context ?? reply.cardContext }).slice(0, 30),
    );
  const table = inlineTable(reply);
  if (table) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: table } });
  else if (reply.table)
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(
          `The result is too long to show here; ${opts.tableAsFile ?? 'it is attached as a file'}.`,
          SLACK_LIMITS.sectionText,
        ),
      },
    });
  // Reserve room for evidence and actions; sections that would not fit are folded into the last one.
  const room = SLACK_LIMITS.blocks - blocks.length - 2;
  const sections = reply.sections.map((s) => clipLines([...(s.heading ? [`*${s.heading}*`] : []), ...s.lines]));
  const fitted =
    sections.length > room ? [...sections.slice(0, room - 1), clipLines(sections.slice(room - 1))] : sections;
  blocks.push(
    ...fitted
      .filter((t) => t.length > 0)
      .map((text): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } })),
  );
  // A card shows its own evidence; other answers list what they rest on (summaries, never uids).
  const shown = new Set(reply.sections.flatMap((s) => s.lines));
  const cited = reply.incident ? [] : reply.evidence.filter((e) => !shown.has(e.summary));
  if (cited.length > 0) {
    const ev = cited.slice(0, 9).map((e) => clip(`${e.label}: ${e.summary}`, 200));
    const more = cited.length > 9 ? [`…and ${cited.length - 9} more`] : [];
    blocks.push({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: clip(`*Evidence:* ${[...ev, ...more].join(' · ')}`, SLACK_LIMITS.contextText) },
      ],
    });
  }
  if (reply.actions.length > 0) {
    blocks.push({
      type: 'actions',
      elements: reply.actions.slice(0, 5).map((a, i) => ({
        type: 'button' as const,
        action_id: `${ACTIONS.ask}_${i}`,
        text: { type: 'plain_text' as const, text: clip(a.label, SLACK_LIMITS.buttonText) },
        value: clip(a.command, SLACK_LIMITS.buttonValue),
      })),
    });
  }
  return blocks.slice(0, SLACK_LIMITS.blocks);
}

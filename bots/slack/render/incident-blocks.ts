import type { types } from '@slack/bolt';
import { toIncidentCard, type IncidentCard } from '../../../src/assistant/incident-card.js';
import type { Incident } from '../../../src/incidents/incident.js';
import { displayName } from '../../../src/assistant/resolve-entity.js';
import { ACTIONS, encodeCandidate } from '../action-ids.js';
import { SLACK_LIMITS, clip, clipLines } from './limits.js';

type KnownBlock = types.KnownBlock;
type Option = types.PlainTextOption;

/** Knobs of the card; the defaults keep any incident far inside Slack's 50-block limit. */
export const DEFAULTS = {
  /** Candidates shown with their own buttons (2 blocks each). */
  candidates: 5,
  /** Lines per evidence section. */
  lines: 5,
};

/** What the card may offer besides feedback buttons. */
export interface IncidentBlocksOptions {
  /** Offer merge/split (an IncidentCorrections is wired). */
  corrections?: boolean;
  /** Other open incidents this one could be merged into. */
  otherOpen?: number[];
  candidates?: number;
}

const md = (text: string, max: number = SLACK_LIMITS.sectionText) => ({
  type: 'mrkdwn' as const,
  text: clip(text, max),
});
const plain = (text: string, max: number) => ({ type: 'plain_text' as const, text: clip(text, max), emoji: true });
// Backticks inside names would break mrkdwn code spans.
const code = (s: string) => `\`${s.replaceAll('`', "'")}\``;

function section(heading: string, lines: string[]): KnownBlock[] {
  if (lines.length === 0) return [];
  const shown =
    lines.length > DEFAULTS.lines
      ? [...lines.slice(0, DEFAULTS.lines), `…and ${lines.length - DEFAULTS.lines} more`]
      : lines;
  return [{ type: 'section', text: md(clipLines([`*${heading}*`, ...shown.map((l) => `• ${l}`)])) }];
}

function candidateBlocks(incident: Incident, card: IncidentCard, max: number): KnownBlock[] {
  if (card.candidates.length === 0) return [{ type: 'section', text: md('*Ranked root causes*\nNot diagnosed yet.') }];
  const blocks: KnownBlock[] = [{ type: 'section', text: md('*Ranked root causes*') }];
  for (const c of card.candidates.slice(0, max)) {
    blocks.push({
      type: 'section',
      block_id: clip(`cand_${c.rank}`, 255),
      text: md(`*${c.rank}.* ${code(clip(c.name, 200))} — score *${c.score.toFixed(2)}*\n${clip(c.why, 2_500)}`),
    });
    const value = encodeCandidate(incident, c.entity, SLACK_LIMITS.buttonValue);
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTIONS.rootCause,
          text: plain('Root cause', SLACK_LIMITS.buttonText),
          style: 'primary',
          value,
        },
        {
          type: 'button',
          action_id: ACTIONS.notThis,
          text: plain('Not this', SLACK_LIMITS.buttonText),
          style: 'danger',
          value,
        },
      ],
    });
  }
  const rest = card.candidates.length - max;
  if (rest > 0)
    blocks.push({
      type: 'context',
      elements: [
        md(`…and ${rest} more candidate${rest === 1 ? '' : 's'}: ${code(card.more)}`, SLACK_LIMITS.contextText),
      ],
    });
  return blocks;
}

function menuBlock(incident: Incident, card: IncidentCard, opts: IncidentBlocksOptions): KnownBlock[] {
  const names = [...new Set([...card.candidates.map((c) => c.entity), ...card.entities])].slice(
    0,
    SLACK_LIMITS.selectOptions,
  );
  const elements: types.ActionsBlockElement[] = [];
  if (names.length > 0) {
    elements.push({
      type: 'static_select',
      action_id: ACTIONS.nameRootCause,
      placeholder: plain('Name the actual root cause', SLACK_LIMITS.placeholder),
      options: names.map((e): Option => ({
        text: plain(displayName(e), SLACK_LIMITS.optionText),
        value: encodeCandidate(incident, e, SLACK_LIMITS.optionValue),
      })),
    });
  }
  const others = (opts.otherOpen ?? []).filter((n) => n !== incident.number).slice(0, SLACK_LIMITS.selectOptions);
  if (opts.corrections && others.length > 0) {
    elements.push({
      type: 'static_select',
      action_id: ACTIONS.merge,
      placeholder: plain('Merge into incident…', SLACK_LIMITS.placeholder),
      options: others.map((n): Option => ({
        text: plain(`#${n}`, SLACK_LIMITS.optionText),
        value: `${n}>${incident.number}`,
      })),
    });
  }
  if (opts.corrections && incident.alertFingerprints.length > 1) {
    elements.push({
      type: 'multi_static_select',
      action_id: ACTIONS.split,
      placeholder: plain('Split alerts off…', SLACK_LIMITS.placeholder),
      options: incident.alertFingerprints.slice(0, SLACK_LIMITS.selectOptions).map((fp): Option => ({
        text: plain(fp, SLACK_LIMITS.optionText),
        value: clip(`${incident.number}|${fp}`, SLACK_LIMITS.optionValue),
      })),
    });
  }
  return elements.length ? [{ type: 'actions', block_id: 'rg_menus', elements }] : [];
}

/**
 * An incident as a Block Kit card: header and state, ranked candidates with "Root cause" / "Not this"
 * buttons, the top candidate's propagation path, anomalous metrics, log templates and changes, a
 * menu to name the actual root cause, merge/split menus, and the command for everything else.
 * Pure; within Slack's limits (≤ 50 blocks, ≤ 3,000 chars per section) whatever the incident's size.
 */
export function toIncidentBlocks(incident: Incident, opts: IncidentBlocksOptions = {}): KnownBlock[] {
  const card = toIncidentCard(incident);
  const resolved = card.status === 'resolved';
  const state = resolved
    ? `:white_check_mark: Resolved${card.resolvedAt ? ` <!date^${Math.floor(card.resolvedAt / 1000)}^{date_short_pretty} {time}|${new Date(card.resolvedAt).toISOString()}>` : ''}`
    : ':red_circle: Open';
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: plain(`${resolved ? '[Resolved] ' : ''}Incident #${card.number}: ${card.title}`, SLACK_LIMITS.headerText),
    },
    {
      type: 'context',
      elements: [
        md(
          `${state} · *${card.severity}* · opened <!date^${Math.floor(card.openedAt / 1000)}^{date_short_pretty} {time}|${new Date(card.openedAt).toISOString()}> · ${card.alerts} alert${card.alerts === 1 ? '' : 's'} · revision ${card.revision}`,
          SLACK_LIMITS.contextText,
        ),
      ],
    },
    ...candidateBlocks(incident, card, opts.candidates ?? DEFAULTS.candidates),
  ];
  if (card.path.length > 1)
    blocks.push({
      type: 'section',
      text: md(
        clip(`*Propagation path*\n${card.path.map((p) => code(clip(p, 100))).join(' → ')}`, SLACK_LIMITS.sectionText),
      ),
    });
  blocks.push(
    ...section('Anomalous metrics', card.metrics),
    ...section(
      'Log templates',
      card.logTemplates.map((t) => code(clip(t, 400))),
    ),
    ...section('Recent changes', card.changes),
  );
  blocks.push(...menuBlock(incident, card, opts));
  blocks.push({
    type: 'context',
    elements: [
      md(
        `More: ${code(card.more)} · react :white_check_mark: / :x: on this card to confirm or reject the top candidate`,
        SLACK_LIMITS.contextText,
      ),
    ],
  });
  // Defensive: whatever changes above, never send more than Slack accepts.
  return blocks.slice(0, SLACK_LIMITS.blocks);
}

/** The notification text shown beside the card (and in notifications). */
export function incidentFallbackText(incident: Incident): string {
  const top = toIncidentCard(incident).candidates[0];
  return clip(
    `${incident.status === 'resolved' ? '[Resolved] ' : ''}Incident #${incident.number}: ${incident.title}${top ? ` — top suspect ${top.name} (${top.score.toFixed(2)})` : ''}`,
    SLACK_LIMITS.messageText,
  );
}

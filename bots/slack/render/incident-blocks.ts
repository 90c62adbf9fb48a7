import type { types } from '@slack/bolt';
import type { CardContext } from '../../../src/assistant/card-context.js';
import { mention } from '../../../src/assistant/format.js';
import { suspectHeadline, toIncidentCard, type IncidentCard } from '../../../src/assistant/incident-card.js';
import type { Incident } from '../../../src/incidents/incident.js';
import { displayName } from '../../../src/assistant/resolve-entity.js';
import { ACTIONS, encodeCandidate } from '../action-ids.js';
import { SLACK_LIMITS, clip, clipLines } from './limits.js';

type KnownBlock = types.KnownBlock;
type Option = types.PlainTextOption;

/** Knobs of the card; the defaults keep any incident far inside Slack's 50-block limit. */
export const DEFAULTS = {
  /** Other suspects listed in the card's text (all of them are in the menu). */
  candidates: 4,
  /** Lines per evidence section. */
  lines: 5,
  /** Alert groups listed (the rest are counted). */
  alertGroups: 5,
};

/** What the card may offer besides feedback, and what the graph says around the incident. */
export interface IncidentBlocksOptions {
  /** Offer merge/split (an IncidentCorrections is wired). */
  corrections?: boolean;
  /** Other open incidents this one could be merged into. */
  otherOpen?: number[];
  /** Other suspects listed in text. */
  candidates?: number;
  /** Alerts, changes, owners and link templates (card-context.ts); without it the card shows the incident alone. */
  context?: CardContext;
}

const md = (text: string, max: number = SLACK_LIMITS.sectionText) => ({
  type: 'mrkdwn' as const,
  text: clip(text, max),
});
const plain = (text: string, max: number) => ({ type: 'plain_text' as const, text: clip(text, max), emoji: true });
// Backticks inside names would break mrkdwn code spans.
const code = (s: string) => `\`${s.replaceAll('`', "'")}\``;
// Link text must not contain the characters that delimit Slack links.
const link = (url: string, label: string) =>
  `<${url.replace(/[<>|]/g, encodeURIComponent)}|${label.replace(/[<>|]/g, '')}>`;
/** Slack's date formatting: each reader sees their local time; the fallback is UTC. */
export const slackDate = (ms: number, format = '{date_short_pretty} {time}') =>
  `<!date^${Math.floor(ms / 1000)}^${format}|${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC>`;

function bullets(heading: string, lines: string[], max = DEFAULTS.lines): KnownBlock[] {
  if (lines.length === 0) return [];
  const shown = lines.length > max ? [...lines.slice(0, max), `…and ${lines.length - max} more`] : lines;
  return [{ type: 'section', text: md(clipLines([`*${heading}*`, ...shown.map((l) => `• ${l}`)])) }];
}

const STATE = {
  open: ':red_circle: Open',
  acknowledged: ':large_orange_circle: Acknowledged',
  resolved: ':white_check_mark: Resolved',
} as const;

function statusLine(card: IncidentCard): string {
  const l = card.lifecycle;
  return [
    `*${STATE[l.state]}*`,
    `*${card.severity}*`,
    `opened ${slackDate(card.openedAt)}`,
    `${card.alerts} alert${card.alerts === 1 ? '' : 's'}`,
    ...(l.acknowledged ? [`acked by ${mention(l.acknowledged.by)} ${slackDate(l.acknowledged.at, '{time}')}`] : []),
    ...(l.assignee ? [`assigned to ${mention(l.assignee.id, l.assignee.kind)}`] : []),
    ...(l.resolution ? [`resolved by ${mention(l.resolution.by)} ${slackDate(l.resolution.at)}`] : []),
    ...(card.owners.length ? [`owner ${card.owners.map(code).join(', ')}`] : []),
    `revision ${card.revision}`,
  ].join(' · ');
}

function topSuspectBlocks(incident: Incident, card: IncidentCard): KnownBlock[] {
  const top = card.candidates[0];
  if (!top) return [{ type: 'section', text: md('*Top suspect*\nNot diagnosed yet.') }];
  const value = (verb: string) => `${verb}|${encodeCandidate(incident, top.entity, SLACK_LIMITS.optionValue - 5)}`;
  const path = card.path.length > 1 ? `\npath ${card.path.map((p) => code(clip(p, 80))).join(' → ')}` : '';
  return [
    {
      type: 'section',
      block_id: 'rg_top',
      text: md(
        `*Top suspect* ${code(clip(top.name, 200))} — score *${top.score.toFixed(2)}*\n${clip(top.evidence, 2_000)}${clip(path, 600)}`,
      ),
      accessory: {
        type: 'overflow',
        action_id: ACTIONS.topMenu,
        options: [
          { text: plain(':white_check_mark: Root cause', SLACK_LIMITS.optionText), value: value('root') },
          { text: plain(':x: Not this one', SLACK_LIMITS.optionText), value: value('not') },
          { text: plain(':mag: Why?', SLACK_LIMITS.optionText), value: `ask|why incident ${incident.number}` },
          {
            text: plain(':scroll: Error logs', SLACK_LIMITS.optionText),
            value: clip(`ask|show errors in ${top.name} logs`, SLACK_LIMITS.optionValue),
          },
        ],
      },
    },
    // Its own block: a long evidence line may not crowd out how far to trust it.
    ...(card.confidence
      ? [{ type: 'context' as const, elements: [md(`_${card.confidence}_`, SLACK_LIMITS.contextText)] }]
      : []),
  ];
}

function otherSuspectBlocks(incident: Incident, card: IncidentCard, max: number): KnownBlock[] {
  const others = card.candidates.slice(1);
  if (others.length === 0) return [];
  const lines = others
    .slice(0, max)
    .map((c) => `${c.rank}. ${code(clip(c.name, 120))} ${c.score.toFixed(2)} — ${clip(c.evidence, 300)}`);
  const rest = others.length - max;
  return [
    {
      type: 'section',
      block_id: 'rg_others',
      text: md(clipLines([`*Other suspects*`, ...lines, ...(rest > 0 ? [`…and ${rest} more in the menu`] : [])])),
      accessory: {
        type: 'static_select',
        action_id: ACTIONS.pickSuspect,
        placeholder: plain('Other suspects…', SLACK_LIMITS.placeholder),
        options: others.slice(0, SLACK_LIMITS.selectOptions).map((c): Option => ({
          text: plain(`${c.rank}. ${c.name} (${c.score.toFixed(2)})`, SLACK_LIMITS.optionText),
          value: encodeCandidate(incident, c.entity, SLACK_LIMITS.optionValue),
        })),
      },
    },
  ];
}

function alertBlocks(card: IncidentCard): KnownBlock[] {
  if (card.alertGroups.length === 0) return [];
  const firing = card.alertGroups.reduce((s, g) => s + g.firing, 0);
  const lines = card.alertGroups.slice(0, DEFAULTS.alertGroups).map((g) => {
    const links = [
      g.runbookUrl ? link(g.runbookUrl, 'runbook') : '',
      g.generatorUrl ? link(g.generatorUrl, 'source') : '',
      g.silenceUrl ? link(g.silenceUrl, 'silence') : '',
    ].filter(Boolean);
    const on = g.entities.slice(0, 3).map((e) => code(clip(e, 60)));
    return `${code(clip(g.name, 100))} ×${g.count}${g.firing ? ` (*${g.firing} firing*)` : ''}${g.severity ? ` [${g.severity}]` : ''} on ${on.join(', ') || '?'}${g.entities.length > 3 ? ` +${g.entities.length - 3}` : ''}${links.length ? ` · ${links.join(' · ')}` : ''}`;
  });
  const rest = card.alertGroups.length - DEFAULTS.alertGroups;
  return [
    {
      type: 'section',
      text: md(
        clipLines([
          `*Alerts* — ${card.alerts} grouped, ${firing} firing`,
          ...lines,
          ...(rest > 0 ? [`…and ${rest} more rules: ${code(card.more)}`] : []),
        ]),
      ),
    },
  ];
}

function linkBlock(card: IncidentCard): KnownBlock[] {
  if (card.links.length === 0) return [];
  const icon = (label: string) =>
    /^runbook/.test(label)
      ? ':blue_book:'
      : /^alert source/.test(label)
        ? ':bell:'
        : /^silence/.test(label)
          ? ':no_bell:'
          : /^traces/.test(label)
            ? ':mag:'
            : /^logs/.test(label)
              ? ':scroll:'
              : ':chart_with_upwards_trend:';
  const text = card.links.map((l) => `${icon(l.label)} ${link(l.url, clip(l.label, 80))}`).join('   ');
  return [{ type: 'context', elements: [md(text, SLACK_LIMITS.contextText)] }];
}

function lifecycleBlock(incident: Incident, card: IncidentCard): KnownBlock[] {
  const n = String(incident.number);
  const elements: types.ActionsBlockElement[] = [];
  if (card.lifecycle.state === 'open')
    elements.push({
      type: 'button',
      action_id: ACTIONS.acknowledge,
      text: plain(':eyes: Acknowledge', SLACK_LIMITS.buttonText),
      style: 'primary',
      value: n,
    });
  if (card.lifecycle.state !== 'resolved') {
    elements.push({
      type: 'users_select',
      action_id: ACTIONS.assign,
      placeholder: plain('Assign to…', SLACK_LIMITS.placeholder),
    });
    elements.push({
      type: 'button',
      action_id: ACTIONS.resolve,
      text: plain(':white_check_mark: Resolve…', SLACK_LIMITS.buttonText),
      value: n,
    });
  } else
    elements.push({
      type: 'button',
      action_id: ACTIONS.reopen,
      text: plain(':leftwards_arrow_with_hook: Reopen', SLACK_LIMITS.buttonText),
      style: 'danger',
      value: n,
    });
  const names = [...new Set([...card.candidates.map((c) => c.entity), ...card.entities])].slice(
    0,
    SLACK_LIMITS.selectOptions,
  );
  if (names.length > 0)
    elements.push({
      type: 'static_select',
      action_id: ACTIONS.nameRootCause,
      placeholder: plain('Name the actual root cause', SLACK_LIMITS.placeholder),
      options: names.map((e): Option => ({
        text: plain(displayName(e), SLACK_LIMITS.optionText),
        value: encodeCandidate(incident, e, SLACK_LIMITS.optionValue),
      })),
    });
  // The block id names the incident: the user picker carries no value of its own.
  return [{ type: 'actions', block_id: `rg_lifecycle_${incident.number}`, elements }];
}

function correctionBlock(incident: Incident, opts: IncidentBlocksOptions): KnownBlock[] {
  if (!opts.corrections) return [];
  const elements: types.ActionsBlockElement[] = [];
  const others = (opts.otherOpen ?? []).filter((n) => n !== incident.number).slice(0, SLACK_LIMITS.selectOptions);
  if (others.length > 0)
    elements.push({
      type: 'static_select',
      action_id: ACTIONS.merge,
      placeholder: plain('Merge into incident…', SLACK_LIMITS.placeholder),
      options: others.map((n): Option => ({
        text: plain(`#${n}`, SLACK_LIMITS.optionText),
        value: `${n}>${incident.number}`,
      })),
    });
  if (incident.alertFingerprints.length > 1)
    elements.push({
      type: 'multi_static_select',
      action_id: ACTIONS.split,
      placeholder: plain('Split alerts off…', SLACK_LIMITS.placeholder),
      options: incident.alertFingerprints.slice(0, SLACK_LIMITS.selectOptions).map((fp): Option => ({
        text: plain(fp, SLACK_LIMITS.optionText),
        value: clip(`${incident.number}|${fp}`, SLACK_LIMITS.optionValue),
      })),
    });
  return elements.length ? [{ type: 'actions', block_id: 'rg_menus', elements }] : [];
}

/**
 * An incident as a Block Kit card, in the order an on-call engineer reads it: state and who is on it;
 * impact; the top suspect with its strongest evidence and an overflow menu (root cause, not this, why,
 * logs); the other suspects in a select menu; the evidence; the grouped alerts with runbook, source and
 * silence links; recent changes; links to metrics, traces and logs; lifecycle buttons (acknowledge,
 * assign, resolve with a note, reopen); merge/split. Pure; within Slack's limits whatever the incident's size.
 */
export function toIncidentBlocks(incident: Incident, opts: IncidentBlocksOptions = {}): KnownBlock[] {
  const card = toIncidentCard(incident, opts.context);
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: plain(
        `${card.lifecycle.state === 'resolved' ? '[Resolved] ' : ''}Incident #${card.number}: ${card.title}`,
        SLACK_LIMITS.headerText,
      ),
    },
    { type: 'context', elements: [md(statusLine(card), SLACK_LIMITS.contextText)] },
  ];
  if (card.lifecycle.resolution?.note)
    blocks.push({ type: 'section', text: md(`*Resolution* ${clip(card.lifecycle.resolution.note, 2_500)}`) });
  blocks.push(...bullets('Impact', card.impact, 3));
  blocks.push(...topSuspectBlocks(incident, card));
  blocks.push(...otherSuspectBlocks(incident, card, opts.candidates ?? DEFAULTS.candidates));
  const top = card.candidates[0];
  blocks.push(
    ...bullets(`Evidence on ${top ? clip(top.name, 100) : 'the top suspect'}`, [...card.metrics, ...card.logTemplates]),
  );
  blocks.push(...alertBlocks(card));
  blocks.push(...bullets('Recent changes', card.changes));
  blocks.push(...linkBlock(card));
  blocks.push(...lifecycleBlock(incident, card));
  blocks.push(...correctionBlock(incident, opts));
  blocks.push({
    type: 'context',
    elements: [
      md(
        `More: ${code(card.more)} · ask "why?" in the thread · react :white_check_mark: / :x: to confirm or reject the top suspect`,
        SLACK_LIMITS.contextText,
      ),
    ],
  });
  // Defensive: whatever changes above, never send more than Slack accepts.
  return blocks.slice(0, SLACK_LIMITS.blocks);
}

/** One suspect, for the card's thread when picked from the menu: its evidence and feedback buttons. */
export function suspectBlocks(incident: Incident, entity: string, opts: IncidentBlocksOptions = {}): KnownBlock[] {
  const card = toIncidentCard(incident, opts.context);
  const c = card.candidates.find((x) => x.entity === entity);
  if (!c)
    return [
      { type: 'section', text: md(`${code(displayName(entity))} is no longer a suspect of #${incident.number}.`) },
    ];
  const value = encodeCandidate(incident, c.entity, SLACK_LIMITS.buttonValue);
  return [
    {
      type: 'section',
      text: md(
        `*${c.rank}. ${code(clip(c.name, 200))}* — score *${c.score.toFixed(2)}*\n${clip(c.evidence, 2_000)}\n_${clip(c.why, 500)}_`,
      ),
    },
    {
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
    },
  ];
}

/** The notification text shown beside the card (and in notifications). */
export function incidentFallbackText(incident: Incident): string {
  const card = toIncidentCard(incident);
  const headline = suspectHeadline(card);
  return clip(
    `${card.lifecycle.state === 'resolved' ? '[Resolved] ' : ''}Incident #${incident.number}: ${incident.title}${headline ? ` — ${headline}` : ''}`,
    SLACK_LIMITS.messageText,
  );
}

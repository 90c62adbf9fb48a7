import type { types } from '@slack/bolt';

type KnownBlock = types.KnownBlock;

/** Slack's documented Block Kit limits for a message (api.slack.com/reference/block-kit). */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3_000,
  fieldText: 2_000,
  headerText: 150,
  contextElements: 10,
  contextText: 2_000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2_000,
  actionId: 255,
  selectOptions: 100,
  overflowOptions: 5,
  optionText: 75,
  optionValue: 150,
  placeholder: 150,
  /** The notification text beside blocks; Slack truncates beyond 40,000, we stay well under. */
  messageText: 3_000,
} as const;

/** Cuts `s` to at most `max` characters, ending with `…` when cut. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`;
}

/** Joins lines into one text of at most `max` characters, saying how many lines were left out. */
export function clipLines(lines: string[], max: number = SLACK_LIMITS.sectionText): string {
  const out: string[] = [];
  let used = 0;
  for (let i = 0; i < lines.length; i++) {
    const tail = `\n…and ${lines.length - i} more`;
    const line = clip(lines[i], max - tail.length - 1);
    if (used + line.length + 1 + (i < lines.length - 1 ? tail.length : 0) > max) {
      out.push(tail.trim());
      break;
    }
    out.push(line);
    used += line.length + 1;
  }
  return clip(out.join('\n'), max);
}

type Loose = Record<string, unknown>;
const textOf = (t: unknown) => String((t as Loose | undefined)?.text ?? '');

/** Every way a message's blocks break Slack's limits, as readable strings; empty when within them. */
export function limitViolations(blocks: readonly KnownBlock[]): string[] {
  const bad: string[] = [];
  if (blocks.length > SLACK_LIMITS.blocks) bad.push(`${blocks.length} blocks > ${SLACK_LIMITS.blocks}`);
  blocks.forEach((b, i) => {
    const x = b as unknown as Loose;
    const at = `block ${i} (${b.type})`;
    if (b.type === 'section') {
      if (textOf(x.text).length > SLACK_LIMITS.sectionText) bad.push(`${at}: text ${textOf(x.text).length} chars`);
      for (const f of (x.fields as unknown[] | undefined) ?? [])
        if (textOf(f).length > SLACK_LIMITS.fieldText) bad.push(`${at}: field too long`);
      if (x.accessory) checkElement(x.accessory as Loose, at, bad);
    }
    if (b.type === 'header' && textOf(x.text).length > SLACK_LIMITS.headerText) bad.push(`${at}: header too long`);
    if (b.type === 'context') {
      const els = (x.elements as unknown[]) ?? [];
      if (els.length > SLACK_LIMITS.contextElements) bad.push(`${at}: ${els.length} elements`);
      for (const e of els) if (textOf(e).length > SLACK_LIMITS.contextText) bad.push(`${at}: context text too long`);
    }
    if (b.type === 'actions') {
      const els = (x.elements as Loose[]) ?? [];
      if (els.length > SLACK_LIMITS.actionsElements) bad.push(`${at}: ${els.length} elements`);
      for (const e of els) checkElement(e, at, bad);
    }
  });
  return bad;
}

function checkElement(e: Loose, at: string, bad: string[]): void {
  if (typeof e.action_id === 'string' && e.action_id.length > SLACK_LIMITS.actionId)
    bad.push(`${at}: action_id too long`);
  if (e.type === 'button') {
    if (textOf(e.text).length > SLACK_LIMITS.buttonText) bad.push(`${at}: button text too long`);
    if (typeof e.value === 'string' && e.value.length > SLACK_LIMITS.buttonValue)
      bad.push(`${at}: button value ${e.value.length} chars`);
  }
  if (e.placeholder && textOf(e.placeholder).length > SLACK_LIMITS.placeholder) bad.push(`${at}: placeholder too long`);
  const options = (e.options as Loose[] | undefined) ?? [];
  if (options.length > SLACK_LIMITS.selectOptions) bad.push(`${at}: ${options.length} options`);
  if (e.type === 'overflow' && (options.length > SLACK_LIMITS.overflowOptions || options.length < 1))
    bad.push(`${at}: overflow with ${options.length} options`);
  for (const o of options) {
    if (textOf(o.text).length > SLACK_LIMITS.optionText) bad.push(`${at}: option text too long`);
    if (String(o.value ?? '').length > SLACK_LIMITS.optionValue) bad.push(`${at}: option value too long`);
  }
}

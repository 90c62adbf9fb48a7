import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { types } from '@slack/bolt';
import type { IncidentCorrections } from '../../src/ports/incident-corrections.js';
import type { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import type { Incident } from '../../src/incidents/incident.js';
import { toIncidentBlocks } from '../../bots/slack/render/incident-blocks.js';
import { toReplyBlocks } from '../../bots/slack/render/reply-blocks.js';
import { limitViolations, SLACK_LIMITS } from '../../bots/slack/render/limits.js';
import { blockActionBody, postSigned } from '../helpers/slack-standin.js';
import { boutiqueGraph, NOW, svc } from '../assistant/fixture.js';
import { SECRET, startHarness, type Harness } from './slack-harness.js';

/** An incident far bigger than any card: 200 alerts, 50 candidates with long names and explanations. */
function hugeIncident(number: number): Incident {
  const long = (n: number) => 'x'.repeat(n);
  return {
    number,
    title: `Storm ${long(400)}`,
    status: 'open',
    severity: 'critical',
    openedAt: NOW,
    updatedAt: NOW,
    revision: 7,
    diagnosedRevision: 7,
    entry: svc('frontend'),
    entities: Array.from({ length: 200 }, (_, i) => svc(`svc-${i}-${long(120)}`)),
    alertFingerprints: Array.from({ length: 200 }, (_, i) => `fp-${i}-${long(90)}`),
    suspects: Array.from({ length: 50 }, (_, i) => ({
      entity: svc(`candidate-${i}-${long(2_100)}`),
      rank: i + 1,
      score: 1 / (i + 1),
      why: `why ${long(5_000)}`,
      explanation: {
        path: Array.from({ length: 40 }, (_, k) => svc(`hop-${k}-${long(200)}`)),
        metrics: Array.from({ length: 30 }, (_, k) => ({
          metric: `m${k}_${long(900)}`,
          z: 10 + k,
          normal: 1,
          peak: 100,
        })),
        logTemplates: Array.from({ length: 30 }, (_, k) => ({
          template: `t${k} ${long(3_500)}`,
          windowCount: 9,
          expected: 1,
        })),
        changes: Array.from({ length: 30 }, (_, k) => ({
          entity: svc(`c${k}`),
          at: NOW / 1000,
          description: long(4_000),
        })),
      },
    })),
  };
}

class RecordingCorrections implements IncidentCorrections {
  readonly merges: Array<{ into: number; from: number; by: string }> = [];
  readonly splits: Array<{ incident: number; fingerprints: string[]; by: string }> = [];
  async merge(c: { into: number; from: number; by: string }) {
    this.merges.push(c);
    return { message: `merged #${c.from} into #${c.into}` };
  }
  async split(c: { incident: number; fingerprints: string[]; by: string }) {
    this.splits.push(c);
    return { message: `split ${c.fingerprints.length} alerts off #${c.incident}` };
  }
}

describe('incident card within Slack limits', () => {
  it('an incident with 200 alerts and 50 candidates renders within every limit', () => {
    const blocks = toIncidentBlocks(hugeIncident(9), {
      corrections: true,
      otherOpen: Array.from({ length: 300 }, (_, i) => i + 1),
    });
    expect(limitViolations(blocks)).toEqual([]);
    expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    // Still says what it had to leave out, and every other suspect is in the menu.
    expect(JSON.stringify(blocks)).toContain('45 more in the menu');
    const menu = blocks.find((b) => b.block_id === 'rg_others') as types.SectionBlock | undefined;
    expect((menu?.accessory as types.StaticSelect | undefined)?.options).toHaveLength(49);
    const reply = toReplyBlocks({
      title: 'x',
      sections: Array.from({ length: 80 }, () => ({ lines: ['y'.repeat(5_000)] })),
      evidence: [],
      actions: [],
      incident: hugeIncident(9),
    });
    expect(limitViolations(reply)).toEqual([]);
  });

  it('the checker catches what breaks the limits (so the test above can fail)', () => {
    const tooMany = Array.from({ length: 51 }, (): types.KnownBlock => ({
      type: 'section',
      text: { type: 'mrkdwn', text: 'z'.repeat(3_001) },
    }));
    expect(limitViolations(tooMany).length).toBe(52);
  });
});

describe('Slack notifier over the stand-in: size, 429, corrections', () => {
  let h: Harness;
  let graph: MemoryGraphStore;
  const corrections = new RecordingCorrections();
  beforeAll(async () => {
    ({ graph } = await boutiqueGraph());
    h = await startHarness(graph, { corrections });
  });
  afterAll(async () => {
    await h.close();
  });

  it('posts the huge card once, within limits', async () => {
    await h.bot.notifier.publish(hugeIncident(50));
    const posts = h.standIn.of('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(limitViolations(posts[0].body.blocks as types.KnownBlock[])).toEqual([]);
  });

  it('a 429 is retried after retry_after and still yields one card', async () => {
    h.standIn.failNext('chat.postMessage', {
      status: 429,
      headers: { 'retry-after': '1' },
      body: { ok: false, error: 'ratelimited' },
    });
    const before = h.standIn.of('chat.postMessage').length;
    const card = await h.bot.notifier.publish({ ...hugeIncident(51), suspects: [] });
    const attempts = h.standIn.of('chat.postMessage').slice(before);
    expect(attempts).toHaveLength(2); // the refused one and the retry
    expect(card.ts).toBeTruthy();
    await h.bot.notifier.publish({ ...hugeIncident(51), revision: 8 });
    expect(h.standIn.of('chat.postMessage').slice(before)).toHaveLength(2);
    expect(h.standIn.of('chat.update').at(-1)?.body.ts).toBe(card.ts);
  });

  it('merge and split menus reach the IncidentCorrections and are acknowledged in the thread', async () => {
    const post = (action: Record<string, unknown>) =>
      postSigned(h.events, blockActionBody(h.standIn, { user: 'UFIX', channel: 'CSHOP', ts: '42.1', action }), {
        secret: SECRET,
        contentType: 'application/x-www-form-urlencoded',
      });
    await post({
      type: 'static_select',
      action_id: 'rg_merge_into',
      selected_option: { text: { type: 'plain_text', text: '#50' }, value: '50>51' },
    });
    await post({
      type: 'multi_static_select',
      action_id: 'rg_split_alerts',
      selected_options: [
        { text: { type: 'plain_text', text: 'a' }, value: '50|fpA' },
        { text: { type: 'plain_text', text: 'b' }, value: '50|fpB' },
      ],
    });
    expect(corrections.merges).toEqual([expect.objectContaining({ into: 50, from: 51, by: 'UFIX' })]);
    expect(corrections.splits).toEqual([
      expect.objectContaining({ incident: 50, fingerprints: ['fpA', 'fpB'], by: 'UFIX' }),
    ]);
    const acks = h.standIn
      .of('chat.postMessage')
      .filter((c) => c.body.thread_ts === '42.1')
      .map((c) => c.body.text);
    expect(acks).toEqual(['merged #51 into #50', 'split 2 alerts off #50']);
  });
});

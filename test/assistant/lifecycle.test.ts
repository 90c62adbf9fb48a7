import { describe, expect, it } from 'vitest';
import { Assistant } from '../../src/assistant/assistant.js';
import { applyLifecycle, parseAssignee } from '../../src/assistant/lifecycle.js';
import type { Incident } from '../../src/incidents/incident.js';
import type { CardRef, Notifier } from '../../src/ports/notifier.js';
import { toEvidenceAnomalies } from '../../src/incidents/evidence-anomalies.js';
import { boutiqueGraph, NOW, svc } from './fixture.js';

/** A Notifier that records what it was asked to publish (a real adapter of the port, kept in memory). */
class MemoryNotifier implements Notifier {
  readonly kind = 'memory';
  readonly published: Incident[] = [];
  async publish(incident: Incident): Promise<CardRef> {
    this.published.push(structuredClone(incident));
    return incident.card ?? { channel: 'C1', ts: `${incident.number}.0` };
  }
  async reply(): Promise<void> {}
}

const base = (): Incident => ({
  number: 7,
  title: 't',
  status: 'open',
  severity: 'critical',
  openedAt: NOW - 60_000,
  updatedAt: NOW - 60_000,
  revision: 3,
  entities: [],
  alertFingerprints: [],
  suspects: [],
});

describe('applyLifecycle', () => {
  it('acknowledge, assign, resolve with a note, reopen: each recorded once, in order', () => {
    let i = base();
    const step = (req: Parameters<typeof applyLifecycle>[1]) => {
      const out = applyLifecycle(i, req);
      i = out.incident;
      return out;
    };
    expect(step({ action: 'acknowledge', by: 'U1', at: NOW }).changed).toBe(true);
    expect(step({ action: 'acknowledge', by: 'U2', at: NOW + 1 }).changed).toBe(false);
    step({ action: 'assign', by: 'U1', at: NOW + 2, assignee: { id: 'S9', kind: 'group' } });
    const resolved = step({ action: 'resolve', by: 'U1', at: NOW + 3, note: 'rolled back' });
    expect(resolved.message).toBe('Incident #7 resolved by U1: rolled back');
    expect(i).toMatchObject({ status: 'resolved', resolvedAt: NOW + 3 });
    expect(() => step({ action: 'acknowledge', by: 'U1', at: NOW + 4 })).toThrow(/resolved/);
    step({ action: 'reopen', by: 'U2', at: NOW + 5 });
    expect(i.status).toBe('open');
    expect(i.lifecycle?.acknowledged).toBeUndefined();
    expect(i.lifecycle?.assignee?.id).toBe('S9');
    expect(i.lifecycle?.events.map((e) => e.action)).toEqual(['acknowledge', 'assign', 'resolve', 'reopen']);
  });

  it('does not modify the incident it was given', () => {
    const i = base();
    applyLifecycle(i, { action: 'resolve', by: 'U1', at: NOW });
    expect(i.status).toBe('open');
    expect(i.lifecycle).toBeUndefined();
  });

  it('reads assignees as people type them', () => {
    expect(parseAssignee('<@U0ABCDEF1>', 'me')).toEqual({ id: 'U0ABCDEF1', kind: 'user' });
    expect(parseAssignee('<!subteam^S0ABCDEF1|@sre>', 'me')).toEqual({ id: 'S0ABCDEF1', kind: 'group' });
    expect(parseAssignee('me', 'U0ASKER01')).toEqual({ id: 'U0ASKER01', kind: 'user' });
    expect(parseAssignee('the payments team', 'x')).toEqual({ id: 'payments', kind: 'group' });
    expect(parseAssignee('@bob', 'x')).toEqual({ id: 'bob', kind: 'user' });
    expect(() => parseAssignee('the folks over there', 'x')).toThrow(/Cannot tell who/);
  });
});

describe('lifecycle through the assistant and the incident store', () => {
  it('records on the Incident in the graph, republishes the card, and survives a job saving a stale copy', async () => {
    const { graph, incidents, incident } = await boutiqueGraph();
    const notifier = new MemoryNotifier();
    const a = new Assistant({ graph, incidents, notifier, now: () => NOW });
    // A job read the incident before the person acted…
    const stale = await incidents.get(incident.number);
    const r = await a.answer({
      text: `resolve incident ${incident.number}: failed over`,
      user: 'U0ONCALL1',
      channel: 'C1',
    });
    expect(r.title).toBe(`Incident #${incident.number} resolved by <@U0ONCALL1>: failed over`);
    expect(notifier.published.at(-1)?.status).toBe('resolved');
    // …and saves its copy after: the person's resolve stands.
    await incidents.save(stale!);
    const stored = await incidents.get(incident.number);
    expect(stored?.status).toBe('resolved');
    expect(stored?.lifecycle?.resolution).toMatchObject({ by: 'U0ONCALL1', note: 'failed over' });
    const node = await graph.getNode(`Incident:${incident.number}`);
    expect(node?.props.status).toBe('resolved');
    // A newer revision from the alert flow (new alerts) keeps the person's history too.
    await incidents.save({ ...stale!, revision: stale!.revision + 1, title: 'grew' });
    expect((await incidents.get(incident.number))?.lifecycle?.events).toHaveLength(1);
  });

  it('a card button acts through the same path; several open incidents need a number', async () => {
    const { graph, incidents, incident } = await boutiqueGraph();
    await incidents.open({ title: 'another', severity: 'warning', entities: [], alertFingerprints: [] });
    const a = new Assistant({ graph, incidents, now: () => NOW });
    const vague = await a.answer({ text: 'ack', user: 'U1', channel: 'C-elsewhere' });
    expect(vague.error?.code).toBe('INPUT_INVALID');
    expect(vague.sections[0].lines[0]).toMatch(/Which incident\? 2 are open/);
    const r = await a.act(incident.number, { action: 'assign', by: 'U1', assignee: 'me' });
    expect(r.title).toBe(`Incident #${incident.number} assigned to U1 by U1.`);
    expect((await incidents.get(incident.number))?.lifecycle?.assignee).toMatchObject({ id: 'U1', kind: 'user' });
  });
});

describe('toEvidenceAnomalies', () => {
  it("maps the diagnosis's metric moves and log surges to Anomaly nodes on the suspects, idempotently", async () => {
    const { incident } = await boutiqueGraph();
    const a = toEvidenceAnomalies(incident);
    const b = toEvidenceAnomalies(structuredClone(incident));
    expect(a).toEqual(b);
    const pay = a.nodes.find((n) => n.props.entity === 'paymentservice' && n.props.metric === 'latency_p99');
    expect(pay?.props).toMatchObject({ source: 'rca', incident: incident.number, z: 41.5, normal: 120, peak: 2300 });
    expect(a.edges).toContainEqual({
      type: 'FOUND_ON',
      from: pay!.uid,
      to: svc('paymentservice'),
      props: { metric: 'latency_p99' },
    });
    expect(a.nodes.some((n) => n.props.kind === 'log-template')).toBe(true);
    // Moves below the threshold are not evidence.
    const weak = {
      ...incident,
      suspects: incident.suspects.map((s) => ({ ...s, explanation: { metrics: [{ metric: 'm', z: 1 }] } })),
    };
    expect(toEvidenceAnomalies(weak).nodes).toEqual([]);
  });

  it('the incident store writes them with the incident, so "top anomalies" sees them', async () => {
    const { graph, incident } = await boutiqueGraph();
    const found = await graph.findNodes({ label: 'Anomaly', where: { incident: incident.number } });
    expect(found.length).toBe(toEvidenceAnomalies(incident).nodes.length);
  });
});

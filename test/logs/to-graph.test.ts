import { describe, expect, it } from 'vitest';
import { isEdgeType, isNodeLabel } from '../../src/model/graph.js';
import { uids } from '../../src/model/uid.js';
import type { LogAnomaly } from '../../src/logs/log-checks.js';
import { logAnomalyUid, logTemplateUid, toLogGraphBatch } from '../../src/logs/to-graph.js';

const templates = [
  { service: 'cart', id: '1', text: 'GetCart called with userId=<*>', size: 40 },
  { service: 'cart', id: '2', text: 'connection refused to <*>', size: 7 },
];
const anomaly: LogAnomaly = {
  kind: 'error-burst',
  service: 'cart',
  start: 60_000,
  end: 120_000,
  score: 9.5,
  templateIds: ['2'],
  allTemplateIds: ['2'],
  evidence: ['connection refused to <*>'],
  summary: '7 error line(s) in cart, 0.1 expected',
};

describe('toLogGraphBatch', () => {
  it('links templates and anomalies to their service, with evidence on the anomaly', () => {
    const b = toLogGraphBatch({ templates, anomalies: [anomaly], namespace: 'shop', observedAt: 5 });
    const svc = uids.service('cart', 'shop');
    expect(b.nodes.map((n) => n.label)).toEqual(['LogTemplate', 'LogTemplate', 'Anomaly', 'Service']);
    expect(b.nodes.every((n) => isNodeLabel(n.label)) && b.edges.every((e) => isEdgeType(e.type))).toBe(true);
    expect(b.edges.filter((e) => e.type === 'EMITTED_BY').map((e) => e.to)).toEqual([svc, svc]);
    const a = b.nodes.find((n) => n.label === 'Anomaly');
    expect(a?.props.evidence).toEqual(['connection refused to <*>']);
    expect(a?.props.templateUids).toEqual([logTemplateUid('cart', 'connection refused to <*>', { namespace: 'shop' })]);
    expect(b.edges.find((e) => e.type === 'FOUND_ON')).toMatchObject({ from: a?.uid, to: svc });
    expect(a?.props).toMatchObject({ service: 'cart', namespace: 'shop', cluster: 'default' });
    expect(b.observedAt).toBe(5);
  });

  it("writes a template's count of this run as checkCount, never the aggregator's count", () => {
    const b = toLogGraphBatch({ templates, anomalies: [] });
    const written = b.nodes.filter((n) => n.label === 'LogTemplate');
    expect(written.map((n) => n.props.checkCount)).toEqual([40, 7]);
    expect(written.every((n) => !('count' in n.props))).toBe(true);
  });

  it('names a template by its service and text, not its miner id', () => {
    const [getCart, refused] = templates;
    expect(logTemplateUid('cart', refused.text)).toBe(logTemplateUid('cart', 'connection refused to <*>'));
    expect(logTemplateUid('cart', getCart.text)).not.toBe(logTemplateUid('cart', refused.text));
    expect(logTemplateUid('cart', getCart.text)).not.toBe(logTemplateUid('cart', getCart.text, { namespace: 'shop' }));
    expect(logTemplateUid('cart', getCart.text)).not.toBe(logTemplateUid('auth', getCart.text));
    // Another miner numbering the same template 7 writes the same node.
    const b = toLogGraphBatch({ templates: [{ ...refused, id: '7' }], anomalies: [] });
    expect(b.nodes[0].uid).toBe(logTemplateUid('cart', refused.text));
  });

  it('is deterministic and gives distinct uids to distinct findings', () => {
    const one = toLogGraphBatch({ templates, anomalies: [anomaly, { ...anomaly, kind: 'new-template' }] });
    expect(toLogGraphBatch({ templates, anomalies: [anomaly, { ...anomaly, kind: 'new-template' }] })).toEqual(one);
    expect(new Set(one.nodes.map((n) => n.uid)).size).toBe(one.nodes.length);
  });
});

describe('toLogGraphBatch with records that carry their own placement', () => {
  it('attaches each record to its own service node; the batch placement fills what a record leaves out', () => {
    const shop = { namespace: 'shop', cluster: 'eu1' };
    const b = toLogGraphBatch({
      templates: [{ ...templates[0], ...shop }, { ...templates[1], namespace: 'outlet' }, templates[0]],
      anomalies: [{ ...anomaly, ...shop, templateIds: ['1'] }],
      cluster: 'eu1',
    });
    const [atShop, atOutlet, atDefault] = [
      uids.service('cart', 'shop', 'eu1'),
      uids.service('cart', 'outlet', 'eu1'),
      uids.service('cart', 'default', 'eu1'),
    ];
    expect(b.edges.filter((e) => e.type === 'EMITTED_BY').map((e) => e.to)).toEqual([atShop, atOutlet, atDefault]);
    expect(b.edges.find((e) => e.type === 'FOUND_ON')?.to).toBe(atShop);
    const a = b.nodes.find((n) => n.label === 'Anomaly');
    expect(a?.uid).toBe(logAnomalyUid(anomaly, shop));
    expect(a?.props).toMatchObject(shop);
    // The shop's template 1, not the default namespace's template 1 of the same text.
    expect(a?.props.templateUids).toEqual([logTemplateUid('cart', templates[0].text, shop)]);
    expect(a?.props.templateUids).not.toEqual([logTemplateUid('cart', templates[0].text, { cluster: 'eu1' })]);
    expect(b.nodes.filter((n) => n.label === 'Service').map((n) => [n.uid, n.props.namespace])).toEqual([
      [atDefault, 'default'],
      [atOutlet, 'outlet'],
      [atShop, 'shop'],
    ]);
  });
});

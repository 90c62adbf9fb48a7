import { describe, expect, it } from 'vitest';
import {
  labelMap,
  linkEndFromNode,
  selectorLinks,
  selects,
  staleLinks,
  type LinkEnd,
} from '../../../src/ingest/k8s/selector-links.js';
import type { EdgeRecord } from '../../../src/model/graph.js';

const end = (uid: string, kind: LinkEnd['kind'], over: Partial<LinkEnd> = {}): LinkEnd => ({
  uid,
  kind,
  namespace: 'shop',
  selector: {},
  podLabels: {},
  owned: false,
  ...over,
});
const edges = (list: EdgeRecord[]) => list.map((e) => `${e.type} ${e.from} ${e.to} ${String(e.props.via)}`);

describe('selector links', () => {
  const svc = end('svc', 'Service', { selector: { app: 'cart' } });
  const dep = end('dep', 'Deployment', { selector: { app: 'cart' }, podLabels: { app: 'cart', tier: 'be' } });
  const rs = end('rs', 'ReplicaSet', {
    selector: { app: 'cart', h: '1' },
    podLabels: { app: 'cart', h: '1' },
    owned: true,
  });
  const owned = end('p1', 'Pod', { podLabels: { app: 'cart', h: '1' }, owned: true });
  const bare = end('p2', 'Pod', { podLabels: { app: 'cart', tier: 'be' } });

  it('a Service selects workloads by pod template and pods by labels; controllers manage only owner-less pods', () => {
    expect(edges(selectorLinks([svc, dep, rs, owned, bare], []))).toEqual([
      'MANAGES dep p2 selector',
      'SELECTS svc dep selector',
      'SELECTS svc p1 selector',
      'SELECTS svc p2 selector',
      'SELECTS svc rs selector',
    ]);
  });

  it('links a newcomer to what the graph holds, from either side, and only pairs touching the batch', () => {
    expect(edges(selectorLinks([bare], [svc, dep, rs, owned]))).toEqual([
      'MANAGES dep p2 selector',
      'SELECTS svc p2 selector',
    ]);
    expect(edges(selectorLinks([svc], [dep, rs, owned, bare]))).toHaveLength(4);
  });

  it('a batch end replaces the graph end of the same uid', () => {
    const relabelled = { ...bare, podLabels: { app: 'web' } };
    expect(selectorLinks([relabelled], [svc, dep, bare])).toEqual([]);
  });

  it('never links across namespaces, with an empty selector, or a Service to a Service', () => {
    const other = end('p3', 'Pod', { namespace: 'other', podLabels: { app: 'cart' } });
    const headless = end('svc2', 'Service', { podLabels: { app: 'cart' } });
    expect(selectorLinks([other, headless], [svc, dep])).toEqual([]);
    expect(selects({}, { app: 'cart' })).toBe(false);
    expect(selects({ app: 'cart', h: '1' }, { app: 'cart' })).toBe(false);
  });

  it('reads ends back from graph nodes (labels for pods, pod template labels for workloads)', () => {
    expect(labelMap(['app=cart', 'a.b/c=x=y', 'junk'])).toEqual({ app: 'cart', 'a.b/c': 'x=y' });
    const pod = { label: 'Pod' as const, uid: 'p', props: { namespace: 'shop', labels: ['app=cart'], owners: [] } };
    expect(linkEndFromNode(pod)).toMatchObject({ podLabels: { app: 'cart' }, owned: false });
    expect(linkEndFromNode(pod, true)?.owned).toBe(true);
    const d = {
      label: 'Deployment' as const,
      uid: 'd',
      props: { namespace: 'shop', selector: ['app=x'], podLabels: ['app=x'], labels: ['team=y'] },
    };
    expect(linkEndFromNode(d)).toMatchObject({ selector: { app: 'x' }, podLabels: { app: 'x' } });
    expect(linkEndFromNode({ label: 'ConfigMap', uid: 'c', props: { namespace: 'shop' } })).toBeUndefined();
  });

  it('stale: selector links touching the batch that no longer match, owner links the owned object dropped', () => {
    const existing: EdgeRecord[] = [
      { type: 'SELECTS', from: 'svc', to: 'p2', props: { via: 'selector' } },
      { type: 'SELECTS', from: 'svc', to: 'p9', props: { via: 'selector' } },
      { type: 'SELECTS', from: 'svc', to: 'p8', props: { via: 'telemetry' } },
      { type: 'MANAGES', from: 'rs', to: 'p2', props: { via: 'ownerReference' } },
      { type: 'MANAGES', from: 'p2', to: 'x', props: { via: 'ownerReference' } },
    ];
    const stale = staleLinks(existing, [], new Set(['p2']));
    expect(edges(stale)).toEqual(['SELECTS svc p2 selector', 'MANAGES rs p2 ownerReference']);
    expect(staleLinks(existing, existing, new Set(['p2', 'svc']))).toEqual([]);
  });
});

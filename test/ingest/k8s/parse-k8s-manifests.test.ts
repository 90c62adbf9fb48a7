import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseK8sManifests } from '../../../src/ingest/k8s/parse-k8s-manifests.js';
import { kubernetesManifests, onlineBoutique } from '../../../src/sim/index.js';

const deploy = (replicas: unknown) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: cart, namespace: shop }
spec:
  replicas: ${JSON.stringify(replicas)}
  selector: { matchLabels: { app: cart } }
  template:
    metadata: { labels: { app: cart } }
    spec:
      containers:
        - name: server
          image: repo/cartservice:v1
          env: [{ name: REDIS_ADDR, value: "redis:6379" }, { name: PASSWORD, valueFrom: { secretKeyRef: { name: cart-secret, key: pw } } }]
          envFrom: [{ configMapRef: { name: cart-config } }]
          resources: { limits: { cpu: 1, memory: 512Mi } }
`;

describe('parseK8sManifests', () => {
  it("reads the simulator's Online Boutique manifests: every document accepted", () => {
    const text = kubernetesManifests(onlineBoutique());
    const out = parseK8sManifests(text, 'boutique.yaml');
    expect(out.rejected).toEqual([]);
    const kinds = new Set(out.accepted.map((o) => o.kind));
    expect([...kinds].sort()).toEqual(['ConfigMap', 'Deployment', 'Node', 'Pod', 'ReplicaSet', 'Service']);
    expect(out.documents).toBe(out.accepted.length);
    const cart = out.accepted.find((o) => o.kind === 'Deployment' && o.name === 'cartservice');
    expect(cart?.pod?.configMaps).toEqual(['cartservice-config']);
  });

  it('reads env keys, secret refs and resources but never env or secret values', () => {
    const secret =
      'apiVersion: v1\nkind: Secret\nmetadata: { name: cart-secret, namespace: shop }\ndata: { pw: aHVudGVyMg== }\nstringData: { token: s3cr3t }\n';
    const out = parseK8sManifests(`${deploy(2)}---\n${secret}`, 'd.yaml');
    expect(out.rejected).toEqual([]);
    const [d, s] = out.accepted;
    expect(d.pod?.containers[0]).toMatchObject({
      envKeys: ['PASSWORD', 'REDIS_ADDR'],
      envFrom: ['configMap:cart-config'],
      limits: { cpu: '1', memory: '512Mi' },
    });
    expect(d.pod?.secrets).toEqual(['cart-secret']);
    expect(s.dataKeys).toEqual(['pw', 'token']);
    const dump = JSON.stringify(out);
    for (const value of ['redis:6379', 'aHVudGVyMg==', 's3cr3t']) expect(dump).not.toContain(value);
  });

  it('names the document and field of a bad value and keeps the good documents', () => {
    const out = parseK8sManifests(
      `${deploy(1)}---\n${deploy('three')}---\nkind: Endpoints\nmetadata: { name: x }\n`,
      'deploy.yaml',
    );
    expect(out.accepted).toHaveLength(1);
    expect(out.rejected).toEqual([
      { where: 'deploy.yaml › document 2 › spec.replicas', reason: 'expected a non-negative integer, got "three"' },
    ]);
    expect(out.ignored).toEqual([{ where: 'deploy.yaml › document 3', kind: 'Endpoints' }]);
  });

  it('expands kubectl get -o json Lists with item paths', () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'a', namespace: 'shop', ownerReferences: [{ kind: 'ReplicaSet', name: 'cart-7d' }] },
          spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] },
        },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b' }, spec: { nodeName: 7 } },
      ],
    };
    const out = parseK8sManifests(JSON.stringify(list), 'pods.json');
    expect(out.accepted.map((o) => o.name)).toEqual(['a']);
    expect(out.accepted[0].ownerRefs).toEqual([{ kind: 'ReplicaSet', name: 'cart-7d' }]);
    expect(out.rejected[0].where).toBe('pods.json › items[1] › spec.nodeName');
  });

  it('reports YAML that does not parse as a rejected document', () => {
    const out = parseK8sManifests(`${deploy(1)}---\nkind: [unclosed\n`, 'x.yaml');
    expect(out.accepted).toHaveLength(1);
    expect(out.rejected[0].where).toBe('x.yaml › document 2');
    expect(out.rejected[0].reason).toMatch(/not valid YAML/);
  });

  it('counts what looks like Kubernetes: an OTLP export or a values file counts nothing, an empty List counts', () => {
    const otlp = JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [] }] });
    expect(parseK8sManifests(otlp, 'otlp.json')).toMatchObject({ accepted: [], documents: 0 });
    expect(parseK8sManifests('replicaCount: 2\nimage: { tag: v1 }\n', 'values.yaml').documents).toBe(0);
    expect(parseK8sManifests('', 'empty.yaml').documents).toBe(0);
    expect(parseK8sManifests('apiVersion: v1\nkind: List\nitems: []\n', 'list.yaml').documents).toBe(1);
    const broken = parseK8sManifests('apiVersion: v1\nmetadata: { name: x }\n', 'broken.yaml');
    expect(broken).toMatchObject({ documents: 1, rejected: [{ where: 'broken.yaml › kind' }] });
  });

  it('property: any text yields accepted + rejected + ignored, and never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const out = parseK8sManifests(text, 'fuzz.yaml');
        for (const r of out.rejected) expect(r.where.startsWith('fuzz.yaml')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('property: mutating any field of a valid object either parses or is rejected with a path into it', () => {
    const base = parseK8sManifests(deploy(2)).accepted[0];
    expect(base).toBeDefined();
    const paths = [
      'spec.replicas',
      'metadata.name',
      'spec.template.spec.containers',
      'metadata.labels',
      'spec.selector.matchLabels',
    ];
    const junk = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 2 }),
      fc.dictionary(fc.string({ maxLength: 3 }), fc.integer()),
    );
    fc.assert(
      fc.property(fc.constantFrom(...paths), junk, (path, value) => {
        const obj = JSON.parse(
          JSON.stringify({
            kind: 'Deployment',
            metadata: { name: 'cart' },
            spec: {
              replicas: 1,
              selector: { matchLabels: { app: 'c' } },
              template: { spec: { containers: [{ name: 's', image: 'i' }] } },
            },
          }),
        );
        const keys = path.split('.');
        let at = obj;
        for (const k of keys.slice(0, -1)) at = at[k];
        at[keys[keys.length - 1]] = value;
        const out = parseK8sManifests(JSON.stringify(obj), 'm.json');
        expect(out.accepted.length + out.rejected.length).toBe(1);
        for (const r of out.rejected) expect(r.where.startsWith('m.json › ')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

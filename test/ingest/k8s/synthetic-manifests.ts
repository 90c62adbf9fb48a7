import fc from 'fast-check';

/** A manifest as a plain object (what `kubectl get -o json` gives per item). */
export type Manifest = Record<string, unknown>;

const NAMESPACES = ['shop', 'ops'] as const;
const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'] as const;

/** Small label alphabets, so selectors often match and often do not. */
const labels = fc.dictionary(fc.constantFrom('app', 'tier'), fc.constantFrom('a', 'b'), { maxKeys: 2 });

interface Identity {
  kind: 'Service' | (typeof WORKLOADS)[number] | 'Pod';
  namespace: (typeof NAMESPACES)[number];
  name: string;
}

const identity: fc.Arbitrary<Identity> = fc.record({
  kind: fc.constantFrom('Service', ...WORKLOADS, 'Pod', 'Pod'),
  namespace: fc.constantFrom(...NAMESPACES),
  name: fc.constantFrom('w0', 'w1', 'w2', 'w3'),
});

/** One random state of the object `id`: labels, selector, pod template, owner reference. */
function stateOf(id: Identity): fc.Arbitrary<Manifest> {
  const metadata = (owner?: { kind: string; name: string }) => ({
    name: id.name,
    namespace: id.namespace,
    ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', ...owner }] } : {}),
  });
  const owner = fc.option(fc.record({ kind: fc.constantFrom(...WORKLOADS), name: fc.constantFrom('w0', 'w1', 'w2') }), {
    nil: undefined,
  });
  if (id.kind === 'Service')
    return labels.map((selector) => ({ apiVersion: 'v1', kind: 'Service', metadata: metadata(), spec: { selector } }));
  if (id.kind === 'Pod')
    return fc.tuple(labels, owner).map(([l, o]) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { ...metadata(o), labels: l },
      spec: { containers: [{ name: 'c', image: 'img:1' }] },
    }));
  return fc.tuple(labels, labels, owner).map(([selector, template, o]) => ({
    apiVersion: 'apps/v1',
    kind: id.kind,
    metadata: metadata(id.kind === 'ReplicaSet' ? o : undefined),
    spec: {
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: { ...selector, ...template } },
        spec: { containers: [{ name: 'c', image: 'img:1' }] },
      },
    },
  }));
}

const key = (id: Identity) => `${id.kind}/${id.namespace}/${id.name}`;

/** Distinct objects (one document each) in two namespaces, with labels chosen to collide. */
export const syntheticManifests = (maxObjects = 14): fc.Arbitrary<Manifest[]> =>
  fc
    .uniqueArray(identity, { maxLength: maxObjects, selector: key })
    .chain((ids) => (ids.length ? fc.tuple(...ids.map(stateOf)) : fc.constant([])));

/** The same objects twice: a first state, then an edited one (labels, selectors and owners redrawn). */
export const editedManifests = (maxObjects = 12): fc.Arbitrary<[Manifest[], Manifest[]]> =>
  fc
    .uniqueArray(identity, { minLength: 1, maxLength: maxObjects, selector: key })
    .chain((ids) => fc.tuple(fc.tuple(...ids.map(stateOf)), fc.tuple(...ids.map(stateOf))));

/** An order of `n` documents (indices) and how it is cut into consecutive ingests. */
export const arrivals = (n: number): fc.Arbitrary<number[][]> =>
  fc
    .tuple(
      fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
      fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, n - 1) }), { maxLength: 3 }),
    )
    .map(([order, cuts]) => {
      const bounds = [0, ...cuts.filter((c) => c < n).sort((a, b) => a - b), n];
      const out: number[][] = [];
      for (let i = 0; i + 1 < bounds.length; i++)
        if (bounds[i + 1] > bounds[i]) out.push(order.slice(bounds[i], bounds[i + 1]));
      return out;
    });

/** Puts documents into the order and groups `arrivals` drew (indices into `docs`). */
export function arrange<T>(docs: readonly T[], groups: readonly number[][]): T[][] {
  return groups.map((g) => g.map((i) => docs[i]));
}

/** Multi-document YAML (JSON documents are YAML) of the manifests. */
export const asYaml = (docs: readonly Manifest[]): string => docs.map((d) => JSON.stringify(d)).join('\n---\n');

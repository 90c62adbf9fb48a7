import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('config: the live cluster watch', () => {
  it('is off without credentials, on with KUBECONFIG (its first path) or in-cluster credentials', () => {
    expect(loadConfig({}).k8sWatch).toBeUndefined();
    expect(loadConfig({ KUBECONFIG: '/a/config:/b/config' }).k8sWatch).toMatchObject({
      kubeconfig: '/a/config',
      inCluster: false,
      cluster: 'default',
      retentionMs: 3_600_000,
    });
    expect(loadConfig({ KUBERNETES_SERVICE_HOST: '10.96.0.1' }).k8sWatch).toMatchObject({ inCluster: true });
    expect(loadConfig({ KUBECONFIG: '/a', ROOTGRAPH_K8S_WATCH: 'off' }).k8sWatch).toBeUndefined();
  });

  it('reads namespace filters, the label selector and the retention', () => {
    const c = loadConfig({
      KUBECONFIG: '/a',
      ROOTGRAPH_K8S_NAMESPACES: 'shop, pay',
      ROOTGRAPH_K8S_EXCLUDE_NAMESPACES: 'kube-system',
      ROOTGRAPH_K8S_LABEL_SELECTOR: 'tier!=batch',
      ROOTGRAPH_K8S_RETENTION_MS: '0',
      ROOTGRAPH_K8S_CLUSTER: 'prod-eu',
    }).k8sWatch;
    expect(c).toEqual({
      kubeconfig: '/a',
      inCluster: false,
      cluster: 'prod-eu',
      includeNamespaces: ['shop', 'pay'],
      excludeNamespaces: ['kube-system'],
      labelSelector: 'tier!=batch',
      retentionMs: 0,
    });
    expect(() => loadConfig({ KUBECONFIG: '/a', ROOTGRAPH_K8S_WATCH: 'sometimes' })).toThrow(/ROOTGRAPH_K8S_WATCH/);
  });

  it('one cluster name for everything ingested: ROOTGRAPH_CLUSTER, else the older ROOTGRAPH_K8S_CLUSTER', () => {
    expect(loadConfig({}).ingest.cluster).toBe('default');
    expect(loadConfig({ ROOTGRAPH_K8S_CLUSTER: 'old' }).ingest.cluster).toBe('old');
    const c = loadConfig({ KUBECONFIG: '/a', ROOTGRAPH_CLUSTER: 'prod', ROOTGRAPH_K8S_CLUSTER: 'old' });
    expect([c.ingest.cluster, c.k8sWatch?.cluster]).toEqual(['prod', 'prod']);
  });
});

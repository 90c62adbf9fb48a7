import { describe, expect, it } from 'vitest';
import { alertEntity } from '../../../src/ingest/alertmanager/alert-entity.js';
import { uids } from '../../../src/model/uid.js';

describe('alertEntity', () => {
  it('prefers the pod over the scraping service kube-prometheus puts in `service`', () => {
    expect(
      alertEntity({
        alertname: 'KubePodCrashLooping',
        pod: 'cart-1',
        namespace: 'shop',
        service: 'kube-state-metrics',
      }),
    ).toBe(uids.pod('cart-1', 'shop'));
  });
  it('resolves deployment, service, node, instance host, job and namespace in that order', () => {
    expect(alertEntity({ deployment: 'cart', namespace: 'shop', service: 'x' })).toBe(uids.deployment('cart', 'shop'));
    expect(alertEntity({ service: 'cart', namespace: 'shop' })).toBe(uids.service('cart', 'shop'));
    expect(alertEntity({ node: 'worker-2', instance: '10.0.0.1:9100' })).toBe(uids.machine('worker-2'));
    expect(alertEntity({ instance: 'worker-3:9100', job: 'node' })).toBe(uids.machine('worker-3'));
    expect(alertEntity({ instance: '[fe80::1]:9100' })).toBe(uids.machine('fe80::1'));
    expect(alertEntity({ job: 'payments', namespace: 'shop' })).toBe(uids.service('payments', 'shop'));
    expect(alertEntity({ namespace: 'shop', alertname: 'QuotaExceeded' })).toBe(uids.namespace('shop'));
    expect(alertEntity({ alertname: 'Watchdog' })).toBeNull();
  });
  it('puts the cluster label into the uid', () => {
    expect(alertEntity({ pod: 'a', namespace: 'n', cluster: 'eu-1' })).toBe(uids.pod('a', 'n', 'eu-1'));
  });
  it('without a cluster label, the alert is about the receiving process cluster', () => {
    expect(alertEntity({ pod: 'a', namespace: 'n' }, 'prod')).toBe(uids.pod('a', 'n', 'prod'));
    expect(alertEntity({ pod: 'a', namespace: 'n', cluster: 'eu-1' }, 'prod')).toBe(uids.pod('a', 'n', 'eu-1'));
  });
});

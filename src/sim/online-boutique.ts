/**
 * Google's Online Boutique (github.com/GoogleCloudPlatform/microservices-demo, the "Hipster Shop"):
 * its services, languages, ports and resource limits as in release/kubernetes-manifests.yaml, the
 * frontend's HTTP handlers and the gRPC methods of pb/demo.proto, and the calls each handler makes
 * (src/frontend/handlers.go, src/checkoutservice/main.go). The route mix follows the load generator's
 * locustfile (index 1, setCurrency 2, browseProduct 10, addToCart 2, viewCart 3, checkout 1).
 */
import { createRng, k8sSuffix } from './rng.js';
import type { MachineInfo, Operation, OperationCall, PodInfo, ServiceInfo, Topology } from './types.js';
import { edgesOf } from './topology-util.js';

/** Knobs of the Online Boutique layout. */
export const DEFAULTS = { namespace: 'boutique', machines: 3, machineCores: 4, machineMemoryMiB: 16_384 } as const;

type Svc = Omit<ServiceInfo, 'namespace'>;
const SERVICES: Svc[] = [
  { name: 'frontend', kind: 'frontend', language: 'go', replicas: 2, cpuLimit: 0.2, memoryLimitMiB: 128, port: 8080 },
  {
    name: 'cartservice',
    kind: 'backend',
    language: 'csharp',
    replicas: 1,
    cpuLimit: 0.3,
    memoryLimitMiB: 128,
    port: 7070,
  },
  {
    name: 'productcatalogservice',
    kind: 'backend',
    language: 'go',
    replicas: 1,
    cpuLimit: 0.2,
    memoryLimitMiB: 128,
    port: 3550,
  },
  {
    name: 'currencyservice',
    kind: 'backend',
    language: 'node',
    replicas: 1,
    cpuLimit: 0.2,
    memoryLimitMiB: 128,
    port: 7000,
  },
  {
    name: 'paymentservice',
    kind: 'backend',
    language: 'node',
    replicas: 1,
    cpuLimit: 0.2,
    memoryLimitMiB: 128,
    port: 50051,
  },
  {
    name: 'shippingservice',
    kind: 'backend',
    language: 'go',
    replicas: 1,
    cpuLimit: 0.2,
    memoryLimitMiB: 128,
    port: 50051,
  },
  {
    name: 'emailservice',
    kind: 'backend',
    language: 'python',
    replicas: 1,
    cpuLimit: 0.2,
    memoryLimitMiB: 128,
    port: 8080,
  },
  { name: 'checkoutservice', kind: 'api', language: 'go', replicas: 1, cpuLimit: 0.2, memoryLimitMiB: 128, port: 5050 },
  {
    name: 'recommendationservice',
    kind: 'backend',
    language: 'python',
    replicas: 1,
    cpuLimit: 0.2,
    memoryLimitMiB: 450,
    port: 8080,
  },
  { name: 'adservice', kind: 'backend', language: 'java', replicas: 1, cpuLimit: 0.3, memoryLimitMiB: 300, port: 9555 },
  {
    name: 'redis-cart',
    kind: 'cache',
    language: 'redis',
    replicas: 1,
    cpuLimit: 0.125,
    memoryLimitMiB: 256,
    port: 6379,
  },
];

const call = (service: string, method: string, count = 1, errorPropagation = 0.9): OperationCall => ({
  service,
  operation: service === 'redis-cart' ? method : `hipstershop.${grpcName(service)}/${method}`,
  count,
  p: 1,
  errorPropagation,
});

function grpcName(service: string): string {
  const names: Record<string, string> = {
    cartservice: 'CartService',
    productcatalogservice: 'ProductCatalogService',
    currencyservice: 'CurrencyService',
    paymentservice: 'PaymentService',
    shippingservice: 'ShippingService',
    emailservice: 'EmailService',
    checkoutservice: 'CheckoutService',
    recommendationservice: 'RecommendationService',
    adservice: 'AdService',
  };
  return names[service] ?? service;
}

const op = (service: string, name: string, selfMs: number, calls: OperationCall[] = [], entryShare = 0): Operation => ({
  service,
  name: service === 'frontend' || service === 'redis-cart' ? name : `hipstershop.${grpcName(service)}/${name}`,
  selfMs,
  entryShare,
  calls,
});

// Ads are optional on every page (handlers.go logs "failed to retrieve ads" and renders anyway): propagation 0.
const OPERATIONS: Operation[] = [
  op(
    'frontend',
    'GET /',
    6,
    [
      call('currencyservice', 'GetSupportedCurrencies'),
      call('productcatalogservice', 'ListProducts'),
      call('cartservice', 'GetCart'),
      call('currencyservice', 'Convert', 9),
      call('adservice', 'GetAds', 1, 0),
    ],
    1 / 19,
  ),
  op(
    'frontend',
    'GET /product/{id}',
    5,
    [
      call('productcatalogservice', 'GetProduct'),
      call('currencyservice', 'GetSupportedCurrencies'),
      call('cartservice', 'GetCart'),
      call('currencyservice', 'Convert'),
      call('recommendationservice', 'ListRecommendations'),
      call('adservice', 'GetAds', 1, 0),
    ],
    10 / 19,
  ),
  op(
    'frontend',
    'POST /cart',
    4,
    [call('productcatalogservice', 'GetProduct'), call('cartservice', 'AddItem')],
    2 / 19,
  ),
  op(
    'frontend',
    'GET /cart',
    5,
    [
      call('currencyservice', 'GetSupportedCurrencies'),
      call('cartservice', 'GetCart'),
      call('recommendationservice', 'ListRecommendations'),
      call('shippingservice', 'GetQuote'),
      call('currencyservice', 'Convert', 2),
      call('productcatalogservice', 'GetProduct', 2),
    ],
    3 / 19,
  ),
  op(
    'frontend',
    'POST /cart/checkout',
    5,
    [
      call('checkoutservice', 'PlaceOrder'),
      call('recommendationservice', 'ListRecommendations'),
      call('currencyservice', 'GetSupportedCurrencies'),
    ],
    1 / 19,
  ),
  op('frontend', 'POST /setCurrency', 1, [], 2 / 19),
  op('checkoutservice', 'PlaceOrder', 4, [
    call('cartservice', 'GetCart'),
    call('productcatalogservice', 'GetProduct', 2),
    call('currencyservice', 'Convert', 2),
    call('shippingservice', 'GetQuote'),
    call('currencyservice', 'Convert'),
    call('paymentservice', 'Charge'),
    call('shippingservice', 'ShipOrder'),
    call('cartservice', 'EmptyCart'),
    call('emailservice', 'SendOrderConfirmation', 1, 0),
  ]),
  op('recommendationservice', 'ListRecommendations', 4, [call('productcatalogservice', 'ListProducts')]),
  op('cartservice', 'GetCart', 2, [call('redis-cart', 'HGETALL')]),
  op('cartservice', 'AddItem', 2.5, [
    call('redis-cart', 'HGETALL'),
    call('redis-cart', 'HSET'),
    call('redis-cart', 'EXPIRE'),
  ]),
  op('cartservice', 'EmptyCart', 2, [call('redis-cart', 'HSET'), call('redis-cart', 'EXPIRE')]),
  op('productcatalogservice', 'ListProducts', 1.5),
  op('productcatalogservice', 'GetProduct', 1),
  op('productcatalogservice', 'SearchProducts', 2),
  op('currencyservice', 'GetSupportedCurrencies', 0.8),
  op('currencyservice', 'Convert', 0.6),
  op('paymentservice', 'Charge', 3),
  op('shippingservice', 'GetQuote', 1.5),
  op('shippingservice', 'ShipOrder', 2),
  op('emailservice', 'SendOrderConfirmation', 5),
  op('adservice', 'GetAds', 2),
  op('redis-cart', 'HGETALL', 0.3),
  op('redis-cart', 'HSET', 0.3),
  op('redis-cart', 'EXPIRE', 0.2),
];

/** Online Boutique's topology: 11 services, their operations and call graph, pods spread over 3 machines. Pure. */
export function onlineBoutique(seed = 1): Topology {
  const rng = createRng(seed, 'online-boutique');
  const services: ServiceInfo[] = SERVICES.map((s) => ({ ...s, namespace: DEFAULTS.namespace }));
  const machines: MachineInfo[] = [];
  for (let i = 0; i < DEFAULTS.machines; i++) {
    machines.push({
      name: `gke-boutique-default-pool-${k8sSuffix(rng, 4)}-${k8sSuffix(rng, 4)}`,
      ip: `10.128.0.${10 + i}`,
      cpuCores: DEFAULTS.machineCores,
      memoryMiB: DEFAULTS.machineMemoryMiB,
    });
  }
  const pods: PodInfo[] = [];
  let podIndex = 0;
  for (const s of services) {
    const rs = k8sSuffix(rng, 9);
    for (let r = 0; r < s.replicas; r++) {
      pods.push({
        name: `${s.name}-${rs}-${k8sSuffix(rng, 5)}`,
        service: s.name,
        machine: machines[podIndex % machines.length].name,
        ip: `10.4.${podIndex % machines.length}.${10 + podIndex}`,
      });
      podIndex++;
    }
  }
  const operations = OPERATIONS.map((o) => ({ ...o, calls: o.calls.map((c) => ({ ...c })) }));
  return { name: 'online-boutique', services, edges: edgesOf(operations), operations, pods, machines };
}

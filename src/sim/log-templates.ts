/**
 * Log templates that look like the real services' logs: Online Boutique's own messages (Go logrus,
 * Node pino, Python logging, Java log4j, .NET, Redis), database and queue server lines, and the error
 * lines each fault type leaves in the faulty service and in its callers (gRPC status errors, refused
 * connections, OOM, pool timeouts). Variables are ids, IPs, ports, numbers and product ids, as in Loghub.
 */
import type { Rng } from './rng.js';
import { hexId } from './rng.js';
import type { FaultType, LogLevel } from './types.js';

/** What a template needs to render one line. */
export interface LogVars {
  rng: Rng;
  service: string;
  podIp: string;
  port: number;
  op: string;
  callee?: string;
  calleeIp?: string;
  calleePort?: number;
  calleeOp?: string;
}

/** One template: a stable id (ground truth for template mining), a level and a renderer. */
export interface LogTemplate {
  id: string;
  level: LogLevel;
  render(v: LogVars): string;
}

const PRODUCTS = [
  'OLJCESPC7Z',
  '66VCHSJNUP',
  '1YMWWN1N4O',
  'L9ECAV7KIM',
  '2ZYFJ3GM2N',
  '0PUK6V6EV0',
  'LS4PSXUNUM',
  '9SIQT8TOJO',
  '6E92ZMYYFZ',
];
const CURRENCIES = ['USD', 'EUR', 'JPY', 'GBP', 'CAD', 'TRY'];
const uuid = (r: Rng): string => `${hexId(r, 4)}-${hexId(r, 2)}-4${hexId(r, 2).slice(1)}-${hexId(r, 2)}-${hexId(r, 6)}`;
const n = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r.next() * (hi - lo));
const ip = (r: Rng): string => `10.${n(r, 0, 8)}.${n(r, 0, 255)}.${n(r, 2, 250)}`;
const t = (id: string, level: LogLevel, render: (v: LogVars) => string): LogTemplate => ({ id, level, render });

/** Normal-operation templates by Online Boutique service name, falling back to language. */
export const NORMAL: Record<string, LogTemplate[]> = {
  frontend: [
    t(
      'fe-req-start',
      'DEBUG',
      (v) =>
        `request started http.req.id=${uuid(v.rng)} http.req.method=${v.op.split(' ')[0]} http.req.path=${v.op.split(' ')[1] ?? '/'}`,
    ),
    t(
      'fe-req-done',
      'DEBUG',
      (v) =>
        `request complete http.req.id=${uuid(v.rng)} http.resp.status=200 http.resp.took_ms=${n(v.rng, 3, 180)} http.resp.bytes=${n(v.rng, 900, 24_000)}`,
    ),
    t(
      'fe-currency',
      'INFO',
      (v) => `setting currency currency.new=${v.rng.pick(CURRENCIES)} currency.old=${v.rng.pick(CURRENCIES)}`,
    ),
    t(
      'fe-product',
      'DEBUG',
      (v) => `serving product page id=${v.rng.pick(PRODUCTS)} curr=${v.rng.pick(CURRENCIES)} session=${uuid(v.rng)}`,
    ),
  ],
  cartservice: [
    t('cart-get', 'INFO', (v) => `GetCartAsync called with userId=${uuid(v.rng)}`),
    t(
      'cart-add',
      'INFO',
      (v) =>
        `AddItemAsync called with userId=${uuid(v.rng)}, productId=${v.rng.pick(PRODUCTS)}, quantity=${n(v.rng, 1, 6)}`,
    ),
    t('cart-empty', 'INFO', (v) => `EmptyCartAsync called with userId=${uuid(v.rng)}`),
  ],
  productcatalogservice: [
    t('pc-parse', 'INFO', (v) => `successfully parsed product catalog json with ${n(v.rng, 9, 10)} products`),
    t('pc-get', 'DEBUG', (v) => `GetProduct id=${v.rng.pick(PRODUCTS)} found=true took=${n(v.rng, 40, 900)}µs`),
  ],
  currencyservice: [
    t('cur-conv', 'INFO', () => 'conversion request successful'),
    t('cur-supported', 'INFO', () => 'Getting supported currencies...'),
    t(
      'cur-req',
      'INFO',
      (v) =>
        `received conversion request from=${v.rng.pick(CURRENCIES)} to=${v.rng.pick(CURRENCIES)} units=${n(v.rng, 1, 900)}`,
    ),
  ],
  paymentservice: [
    t(
      'pay-charge',
      'INFO',
      (v) =>
        `Transaction processed: visa ending ${n(v.rng, 1000, 9999)} Amount: ${v.rng.pick(CURRENCIES)}${n(v.rng, 5, 900)}.${n(v.rng, 10, 99)}`,
    ),
    t(
      'pay-req',
      'INFO',
      (v) =>
        `PaymentService#Charge invoked with request {"amount":{"currency_code":"${v.rng.pick(CURRENCIES)}","units":${n(v.rng, 5, 900)}}}`,
    ),
  ],
  shippingservice: [
    t(
      'ship-quote',
      'INFO',
      (v) => `[GetQuote] completed request quote=$${n(v.rng, 1, 30)}.${n(v.rng, 10, 99)} items=${n(v.rng, 1, 8)}`,
    ),
    t(
      'ship-order',
      'INFO',
      (v) =>
        `[ShipOrder] completed request tracking_id=${hexId(v.rng, 2).toUpperCase()}-${n(v.rng, 10_000, 99_999)}-${n(v.rng, 1_000_000, 9_999_999)}`,
    ),
  ],
  emailservice: [
    t(
      'email-recv',
      'INFO',
      (v) => `A request to send order confirmation email to ${hexId(v.rng, 3)}@example.com has been received.`,
    ),
  ],
  checkoutservice: [
    t('co-place', 'INFO', (v) => `[PlaceOrder] user_id="${uuid(v.rng)}" user_currency="${v.rng.pick(CURRENCIES)}"`),
    t('co-paid', 'INFO', (v) => `payment went through (transaction_id: ${uuid(v.rng)})`),
    t('co-email', 'INFO', (v) => `order confirmation email sent to "${hexId(v.rng, 3)}@example.com"`),
  ],
  recommendationservice: [
    t(
      'rec-list',
      'INFO',
      (v) =>
        `[Recv ListRecommendations] product_ids=['${v.rng.pick(PRODUCTS)}', '${v.rng.pick(PRODUCTS)}', '${v.rng.pick(PRODUCTS)}']`,
    ),
  ],
  adservice: [
    t(
      'ad-req',
      'INFO',
      (v) =>
        `received ad request (context_words=[${v.rng.pick(['clothing', 'kitchen', 'accessories', 'footwear', 'hair', 'decor'])}])`,
    ),
    t('ad-random', 'INFO', () => 'Constructing random Ads.'),
  ],
  'redis-cart': [
    t('redis-save', 'INFO', (v) => `${n(v.rng, 1, 100)} changes in 300 seconds. Saving...`),
    t('redis-bg', 'INFO', (v) => `Background saving started by pid ${n(v.rng, 20, 9_000)}`),
    t('redis-saved', 'INFO', () => 'DB saved on disk'),
  ],
};

/** Normal templates for generated services, by language. */
export const NORMAL_BY_LANGUAGE: Record<string, LogTemplate[]> = {
  generic: [
    t(
      'gen-access',
      'INFO',
      (v) =>
        `${v.rng.pick(['GET', 'POST', 'PUT'])} /api/v1/${v.service.split('-')[0]}/${n(v.rng, 1, 99_999)} 200 ${n(v.rng, 2, 400)}ms from ${ip(v.rng)}`,
    ),
    t(
      'gen-batch',
      'INFO',
      (v) => `processed ${n(v.rng, 1, 500)} items in ${n(v.rng, 1, 900)} ms (request_id=${uuid(v.rng)})`,
    ),
    t(
      'gen-cache',
      'DEBUG',
      (v) => `cache ${v.rng.pick(['hit', 'miss'])} key=${v.service}:${n(v.rng, 1, 1e6)} ttl=${n(v.rng, 10, 3_600)}s`,
    ),
  ],
  postgres: [
    t(
      'pg-duration',
      'INFO',
      (v) =>
        `duration: ${n(v.rng, 0, 90)}.${n(v.rng, 100, 999)} ms  statement: SELECT * FROM ${v.service.split('-')[1] ?? 'items'} WHERE id = ${n(v.rng, 1, 1e6)}`,
    ),
    t(
      'pg-checkpoint',
      'INFO',
      (v) =>
        `checkpoint complete: wrote ${n(v.rng, 10, 5_000)} buffers (${n(v.rng, 0, 9)}.${n(v.rng, 0, 9)}%); ${n(v.rng, 0, 20)} WAL file(s) added`,
    ),
  ],
  redis: [
    t('redis-save', 'INFO', (v) => `${n(v.rng, 1, 100)} changes in 300 seconds. Saving...`),
    t('redis-saved', 'INFO', () => 'DB saved on disk'),
  ],
  java: [
    t(
      'kafka-roll',
      'INFO',
      (v) =>
        `[Log partition=${v.service}-${n(v.rng, 0, 12)}, dir=/var/lib/kafka/data] Rolled new log segment at offset ${n(v.rng, 1e5, 9e6)} in ${n(v.rng, 1, 40)} ms.`,
    ),
    t(
      'java-req',
      'INFO',
      (v) => `Completed request [${v.op}] in ${n(v.rng, 2, 400)} ms (thread=http-nio-8080-exec-${n(v.rng, 1, 200)})`,
    ),
  ],
};

/** Lines the faulty service itself writes, per fault type (warnings while degraded, errors on failure). */
export const OWN_FAULT: Record<FaultType, LogTemplate[]> = {
  'cpu-hog': [t('own-slow', 'WARN', (v) => `slow request: ${v.op} took ${n(v.rng, 600, 4_000)}ms (threshold 500ms)`)],
  'memory-leak': [
    t('own-gc', 'WARN', (v) => `GC pause ${n(v.rng, 80, 900)}ms, heap ${n(v.rng, 90, 128)}MiB of 128MiB in use`),
    t('own-oom', 'ERROR', () => 'java.lang.OutOfMemoryError: Java heap space'),
  ],
  'network-delay': [
    t(
      'own-rtt',
      'WARN',
      (v) => `response to ${ip(v.rng)}:${n(v.rng, 30_000, 60_000)} delayed: rtt=${n(v.rng, 200, 600)}ms`,
    ),
  ],
  'packet-loss': [
    t(
      'own-reset',
      'ERROR',
      (v) => `read tcp ${v.podIp}:${v.port}->${ip(v.rng)}:${n(v.rng, 30_000, 60_000)}: read: connection reset by peer`,
    ),
    t(
      'own-retrans',
      'WARN',
      (v) => `retransmitting frame to ${ip(v.rng)}:${n(v.rng, 30_000, 60_000)} attempt ${n(v.rng, 2, 5)}`,
    ),
  ],
  'pod-crash': [
    t('own-panic', 'FATAL', () => 'panic: runtime error: invalid memory address or nil pointer dereference'),
    t('own-start', 'INFO', (v) => `starting ${v.service} server on port ${v.port}`),
  ],
  'error-return': [
    t(
      'own-exception',
      'ERROR',
      (v) =>
        `failed to process ${v.op}: InvalidOperationException: sequence contains no elements (request_id=${uuid(v.rng)})`,
    ),
  ],
  'config-change': [
    t(
      'own-config',
      'ERROR',
      (v) =>
        `invalid configuration value for ${v.rng.pick(['REDIS_ADDR', 'DB_POOL_SIZE', 'UPSTREAM_URL'])}: "${hexId(v.rng, 3)}"`,
    ),
    t(
      'own-dial',
      'ERROR',
      (v) => `failed to connect to ${ip(v.rng)}:${n(v.rng, 1_000, 9_999)}: dial tcp: connect: connection refused`,
    ),
  ],
  // A wrong return value is silent: the request succeeds and nothing is logged.
  'wrong-return': [],
  'dependency-timeout': [
    t(
      'own-pool',
      'ERROR',
      (v) =>
        `timeout after ${n(v.rng, 5_000, 10_000)}ms waiting for a connection from pool (active=${n(v.rng, 50, 64)}, max=64)`,
    ),
  ],
};

/** Generic own errors (background failures, or a failure with no fault-specific line). */
export const OWN_ERROR: LogTemplate = t(
  'own-error',
  'ERROR',
  (v) => `error handling ${v.op}: unexpected error (request_id=${uuid(v.rng)})`,
);

/** Lines a caller writes when a call fails, by the gRPC status the callee's failure produces. */
export const CALLER: Record<'UNAVAILABLE' | 'DEADLINE_EXCEEDED' | 'INTERNAL', LogTemplate> = {
  UNAVAILABLE: t(
    'call-unavailable',
    'ERROR',
    (v) =>
      `failed to call ${v.callee}/${v.calleeOp}: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp ${v.calleeIp}:${v.calleePort}: connect: connection refused"`,
  ),
  DEADLINE_EXCEEDED: t(
    'call-deadline',
    'ERROR',
    (v) =>
      `failed to call ${v.callee}/${v.calleeOp}: rpc error: code = DeadlineExceeded desc = context deadline exceeded`,
  ),
  INTERNAL: t(
    'call-internal',
    'ERROR',
    (v) =>
      `failed to call ${v.callee}/${v.calleeOp}: rpc error: code = Internal desc = ${v.callee} returned an error (request_id=${uuid(v.rng)})`,
  ),
};

/** The gRPC status a caller sees from a callee failing with `type`. */
export function callerStatus(type: FaultType | null): keyof typeof CALLER {
  if (type === 'pod-crash' || type === 'packet-loss') return 'UNAVAILABLE';
  if (type === 'dependency-timeout' || type === 'network-delay' || type === 'cpu-hog' || type === 'memory-leak')
    return 'DEADLINE_EXCEEDED';
  return 'INTERNAL';
}

/** OTLP logs of service `cart` in a namespace, for the tests of what POST /v1/logs keeps. */

export type LogRec = { timeMs: number; level: string; message: string };

/** One OTLP resource of service `cart` in `namespace`, with its records. */
export function cartResource(namespace: string, records: LogRec[]) {
  return {
    resource: {
      attributes: [
        { key: 'service.name', value: { stringValue: 'cart' } },
        { key: 'k8s.namespace.name', value: { stringValue: namespace } },
      ],
    },
    scopeLogs: [
      {
        logRecords: records.map((r) => ({
          timeUnixNano: `${r.timeMs}000000`,
          severityText: r.level,
          body: { stringValue: r.message },
        })),
      },
    ],
  };
}

/** `n` ERROR lines of cart failing to reach redis-cart, one every `everyMs` from `fromMs`. */
export const redisRefused = (n: number, fromMs: number, everyMs: number): LogRec[] =>
  Array.from({ length: n }, (_, i) => ({
    timeMs: fromMs + i * everyMs,
    level: 'ERROR',
    message: `connection refused to redis-cart:6379 attempt ${i}`,
  }));

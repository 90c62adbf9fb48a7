import { RootgraphError } from '../../src/errors.js';

/**
 * A small client for rootgraph's own ingest endpoints: what the demo and the end-to-end test use to
 * feed the server exactly as an OpenTelemetry collector, Alertmanager or a metrics pusher would.
 */
export class IngestClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  async post(path: string, body: unknown, contentType = 'application/json'): Promise<unknown> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok)
      throw new RootgraphError(
        res.status >= 500 ? 'UNAVAILABLE' : 'INPUT_INVALID',
        `POST ${path} → ${res.status}: ${text.slice(0, 500)}`,
      );
    return text ? (JSON.parse(text) as unknown) : undefined;
  }
}

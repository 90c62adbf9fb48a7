import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type Reply = { status: number; body: unknown };

/**
 * A local HTTP server standing in for PagerDuty's Events API v2 (`POST /v2/enqueue`): it records each
 * event and answers 202 like PagerDuty; `failNext` makes the next answers something else (500, 400).
 */
export class PagerDutyStandIn {
  readonly events: Array<Record<string, unknown>> = [];
  private readonly overrides: Reply[] = [];
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        const reply = this.overrides.shift() ?? {
          status: 202,
          body: { status: 'success', message: 'Event processed', dedup_key: body.dedup_key },
        };
        if (reply.status === 202) this.events.push(body);
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v2/enqueue`;
    return this;
  }

  failNext(status: number, body: unknown = { status: 'invalid event', errors: ['routing_key is invalid'] }): void {
    this.overrides.push({ status, body });
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }
}

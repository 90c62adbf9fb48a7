import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the stand-in received: a Web API method, a response_url post, or a file upload. */
export interface RecordedCall {
  method: string;
  body: Record<string, unknown>;
  at: number;
}

type Reply = { status?: number; headers?: Record<string, string>; body: unknown };

/**
 * A local HTTP server standing in for Slack's Web API (`clientOptions.slackApiUrl` = `url + '/api/'`),
 * for response_url posts (`/respond/…`) and file uploads (`/upload/…`). It records every call and
 * answers like Slack; `failNext` makes the next call of a method answer something else (a 429).
 */
export class SlackStandIn {
  readonly calls: RecordedCall[] = [];
  private server?: Server;
  private ts = 1_700_000_000;
  private readonly overrides = new Map<string, Reply[]>();
  /** Members of user groups, for usergroups.users.list. */
  readonly groups = new Map<string, string[]>();
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void readBody(req).then((raw) => {
        const path = req.url ?? '/';
        const method = path.startsWith('/api/')
          ? path.slice(5).split('?')[0]
          : path.startsWith('/respond/')
            ? 'response_url'
            : path.startsWith('/upload/')
              ? 'upload'
              : path;
        const body = parseBody(raw, req.headers['content-type'] ?? '');
        this.calls.push({ method, body, at: Date.now() });
        const reply = this.overrides.get(method)?.shift() ?? this.answer(method, body);
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
        res.end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** Calls of one method, in order. */
  of(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** The next call of `method` gets this answer instead (429 with Retry-After, an error…). */
  failNext(method: string, reply: Reply): void {
    const list = this.overrides.get(method) ?? [];
    list.push(reply);
    this.overrides.set(method, list);
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }

  private answer(method: string, body: Record<string, unknown>): Reply {
    switch (method) {
      case 'auth.test':
        return { body: { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'rootgraph' } };
      case 'chat.postMessage':
        return { body: { ok: true, channel: body.channel, ts: `${this.ts++}.000100`, message: { text: body.text } } };
      case 'chat.update':
        return { body: { ok: true, channel: body.channel, ts: body.ts } };
      case 'usergroups.users.list':
        return { body: { ok: true, users: this.groups.get(String(body.usergroup)) ?? [] } };
      case 'files.getUploadURLExternal':
        return { body: { ok: true, upload_url: `${this.url}/upload/F1`, file_id: 'F1' } };
      case 'files.completeUploadExternal':
        return { body: { ok: true, files: [{ id: 'F1', title: 'cypher-result.txt' }] } };
      default:
        return { body: { ok: true } };
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

// The Web API client sends forms whose nested values (blocks) are JSON strings.
function parseBody(raw: string, type: string): Record<string, unknown> {
  if (type.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  if (type.includes('application/x-www-form-urlencoded')) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(raw)) {
      out[k] = /^[[{]/.test(v) ? safeJson(v) : v;
    }
    return out;
  }
  return { raw };
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** Slack's v0 signature of a request body at a unix-seconds timestamp. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/**
 * POSTs a body to the Bolt app as Slack would: signed with the secret at `timestamp` (now by
 * default). `signature` overrides the computed one (to send a bad one).
 */
export async function postSigned(
  url: string,
  body: string,
  opts: { secret: string; contentType: string; timestamp?: number; signature?: string },
): Promise<{ status: number; text: string }> {
  const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': opts.contentType,
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': opts.signature ?? slackSignature(opts.secret, ts, body),
    },
    body,
  });
  return { status: res.status, text: await res.text() };
}

/** A slash command as Slack sends it (form-encoded), answering to the stand-in's response_url. */
export function slashCommandBody(
  standIn: SlackStandIn,
  f: { text: string; user: string; channel: string; command?: string },
): string {
  return new URLSearchParams({
    token: 'x',
    team_id: 'T1',
    team_domain: 'acme',
    channel_id: f.channel,
    channel_name: 'incidents',
    user_id: f.user,
    user_name: f.user,
    command: f.command ?? '/rootgraph',
    text: f.text,
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: `${standIn.url}/respond/${f.user}-${Date.now()}`,
    trigger_id: '1.2.3',
  }).toString();
}

/** An Events API callback (JSON). */
export function eventBody(event: Record<string, unknown>): string {
  return JSON.stringify({
    token: 'x',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: `Ev${Math.random().toString(36).slice(2)}`,
    event_time: Math.floor(Date.now() / 1000),
    event,
  });
}

/** A block_actions interaction (form-encoded `payload=`), as a click on a message's element. */
export function blockActionBody(
  standIn: SlackStandIn,
  f: { user: string; channel: string; ts: string; action: Record<string, unknown> },
): string {
  const payload = {
    type: 'block_actions',
    team: { id: 'T1', domain: 'acme' },
    user: { id: f.user, name: f.user, team_id: 'T1' },
    api_app_id: 'A1',
    token: 'x',
    container: { type: 'message', message_ts: f.ts, channel_id: f.channel, is_ephemeral: false },
    trigger_id: '1.2.3',
    channel: { id: f.channel, name: 'incidents' },
    message: { type: 'message', ts: f.ts, text: 'card' },
    response_url: `${standIn.url}/respond/action-${Date.now()}`,
    actions: [{ block_id: 'b1', action_ts: String(Date.now() / 1000), ...f.action }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A view_submission interaction (form-encoded `payload=`), as a person submitting a modal. */
export function viewSubmissionBody(f: {
  user: string;
  callbackId: string;
  privateMetadata: string;
  values: Record<string, Record<string, { type: string; value: string | null }>>;
}): string {
  const payload = {
    type: 'view_submission',
    team: { id: 'T1', domain: 'acme' },
    user: { id: f.user, username: f.user, name: f.user, team_id: 'T1' },
    api_app_id: 'A1',
    token: 'x',
    trigger_id: '1.2.3',
    view: {
      id: 'V1',
      team_id: 'T1',
      type: 'modal',
      callback_id: f.callbackId,
      private_metadata: f.privateMetadata,
      blocks: [],
      state: { values: f.values },
      hash: 'h',
      title: { type: 'plain_text', text: 'x' },
      app_id: 'A1',
      bot_id: 'B1',
    },
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

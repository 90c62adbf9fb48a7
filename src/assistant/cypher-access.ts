import { createHash } from 'node:crypto';
import { RootgraphError, isRootgraphError } from '../errors.js';
import { assertReadOnlyCypher } from '../graph/cypher-gate.js';
import type { CypherResult, GraphStore } from '../graph/graph-store.js';
import type { Props } from '../model/graph.js';
import { uid } from '../model/uid.js';

/** Who may run Cypher from chat: user ids and user-group ids (Slack `S…` ids, or any names). */
export interface CypherAllowlist {
  users: string[];
  groups: string[];
}

/** Answers "is this user in this group" for the transport (Slack usergroups, none in the console). */
export interface GroupMembership {
  isMember(user: string, group: string): Promise<boolean>;
}

/** Options of the gate; `limits` are per query. */
export interface CypherGateOptions {
  graph: GraphStore;
  allow: CypherAllowlist;
  groups?: GroupMembership;
  limits: { timeoutMs: number; maxRows: number };
  now?: () => number;
}

/** A query as a person asked it. */
export interface CypherRequest {
  query: string;
  user: string;
  channel: string;
}

const MAX_AUDITED_QUERY = 8_000;

/**
 * The only way chat runs Cypher: checks the caller against the allowlist, refuses writes, runs the
 * query read-only with a time limit and a row cap, and records every attempt (who, when, what,
 * outcome) as a `CypherAudit` node — written before the query runs, so an unrecordable query never runs.
 */
export class CypherGate {
  private seq = 0;

  constructor(private readonly opts: CypherGateOptions) {}

  /** True when the user is on the allowlist directly or through one of its groups. */
  async allowed(user: string): Promise<boolean> {
    if (this.opts.allow.users.includes(user)) return true;
    for (const g of this.opts.allow.groups) {
      if (await this.opts.groups?.isMember(user, g).catch(() => false)) return true;
    }
    return false;
  }

  /** Runs the query for the user; throws NOT_ALLOWED, CYPHER_WRITE_REFUSED, CYPHER_INVALID, CYPHER_TIMEOUT, NEEDS_NEO4J. */
  async run(req: CypherRequest): Promise<CypherResult> {
    const at = (this.opts.now ?? Date.now)();
    const id = uid(
      'CypherAudit',
      req.user,
      at,
      ++this.seq,
      createHash('sha256').update(req.query).digest('hex').slice(0, 12),
    );
    const base: Props = {
      by: req.user,
      channel: req.channel,
      at,
      query: req.query.slice(0, MAX_AUDITED_QUERY),
      outcome: 'started',
    };
    await this.audit(id, base, at);
    try {
      if (!(await this.allowed(req.user))) {
        throw new RootgraphError(
          'NOT_ALLOWED',
          'Cypher from chat is for allowlisted SREs only; your query was not run.',
          {
            hint: 'Ask an admin to add you (or your user group) to the Cypher allowlist.',
          },
        );
      }
      assertReadOnlyCypher(req.query);
      const result = await this.opts.graph.cypher(req.query, this.opts.limits);
      await this.audit(
        id,
        {
          ...base,
          outcome: 'ok',
          rows: result.rows.length,
          truncated: result.truncated,
          elapsedMs: Math.round(result.elapsedMs),
        },
        at,
      );
      return result;
    } catch (err) {
      const code = isRootgraphError(err) ? err.code : 'INTERNAL';
      await this.audit(
        id,
        { ...base, outcome: code === 'NOT_ALLOWED' || code === 'CYPHER_WRITE_REFUSED' ? 'refused' : 'failed', code },
        at,
      ).catch(() => undefined);
      throw err;
    }
  }

  private async audit(id: string, props: Props, at: number): Promise<void> {
    const report = await this.opts.graph.upsert({
      nodes: [{ label: 'CypherAudit', uid: id, props }],
      edges: [],
      observedAt: at,
    });
    if (report.rejected.length > 0) {
      throw new RootgraphError(
        'UNAVAILABLE',
        `The Cypher audit record could not be written (${report.rejected[0].reason}), so the query was not run.`,
      );
    }
  }
}

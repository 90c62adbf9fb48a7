import type { webApi } from '@slack/bolt';
import type { GroupMembership } from '../../src/assistant/cypher-access.js';

/** Knobs: how long a group's member list is trusted. */
export const DEFAULTS = { ttlMs: 5 * 60_000 };

/**
 * Slack user-group membership (`usergroups.users.list`), cached per group for `ttlMs` so an SRE's
 * Cypher does not cost a Web API call each time. Errors count as "not a member".
 */
export class SlackGroupMembership implements GroupMembership {
  private readonly cache = new Map<string, { at: number; users: Set<string> }>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = DEFAULTS.ttlMs,
  ) {}

  async isMember(user: string, group: string): Promise<boolean> {
    let hit = this.cache.get(group);
    if (!hit || this.now() - hit.at > this.ttlMs) {
      const res = await this.client.usergroups.users.list({ usergroup: group });
      hit = { at: this.now(), users: new Set(res.users ?? []) };
      this.cache.set(group, hit);
    }
    return hit.users.has(user);
  }
}

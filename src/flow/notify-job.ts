/**
 * The notify job: publish (post or edit) one revision of an incident's card through the Notifier
 * port, paced per channel. A re-delivered job, or one for a revision already shown, posts nothing.
 */
import { RootgraphError } from '../errors.js';
import type { ChannelRateLimiter } from '../ports/channel-rate-limiter.js';
import type { IncidentStore } from '../incidents/incident-store.js';
import { z } from 'zod';
import { incidentNumber } from './payload-parts.js';
import type { Notifier } from '../ports/notifier.js';
import { RetryLaterError } from '../errors.js';

/**
 * Publish one revision of an incident's card; one job per (incident, revision). `channel` is the
 * channel to rate-limit on before the card exists (the notifier decides where it posts).
 */
export const NotifyPayload = z.object({
  incident: incidentNumber,
  revision: z.number().int().positive(),
  channel: z.string().min(1).optional(),
});
export type NotifyJobInput = z.infer<typeof NotifyPayload>;

/** A request, from another job, to publish a revision's card. */
export type NotifyFollowUp = { queue: 'notify'; data: NotifyJobInput };

/** The channel a notifier posts to when it was not told one. */
export const DEFAULT_CHANNEL = 'default';

export type NotifySummary = {
  incident: number;
  revision: number;
  outcome: 'published' | 'already-published' | 'stale';
  card?: { channel: string; ts: string };
};

/** Publishes the incident's card for `input.revision`; throws RetryLaterError while the channel is busy. */
export async function runNotifyJob(
  input: NotifyJobInput,
  ports: { incidents: IncidentStore; notifier: Notifier; limiter: ChannelRateLimiter },
): Promise<{ summary: NotifySummary; next: never[] }> {
  const base = { incident: input.incident, revision: input.revision };
  const incident = await ports.incidents.get(input.incident);
  if (!incident) throw new RootgraphError('NOT_FOUND', `incident ${input.incident} does not exist`);
  if ((incident.publishedRevision ?? 0) >= input.revision)
    return { summary: { ...base, outcome: 'already-published', card: incident.card }, next: [] };
  // A newer revision's job will publish the newer card; posting this one would only add noise.
  if (incident.revision > input.revision) return { summary: { ...base, outcome: 'stale' }, next: [] };
  const channel = incident.card?.channel ?? input.channel ?? DEFAULT_CHANNEL;
  const wait = await ports.limiter.acquire(channel);
  if (wait > 0) throw new RetryLaterError(wait, `channel ${channel} is rate-limited`);
  const card = await ports.notifier.publish(incident);
  // Re-read so a revision saved while posting is kept; only the card fields are ours.
  const fresh = (await ports.incidents.get(input.incident)) ?? incident;
  if (card) fresh.card = { channel: card.channel, ts: card.ts };
  fresh.publishedRevision = Math.max(fresh.publishedRevision ?? 0, input.revision);
  await ports.incidents.save(fresh);
  return { summary: { ...base, outcome: 'published', card: fresh.card }, next: [] };
}

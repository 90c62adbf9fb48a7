import { z } from 'zod';
import { InputError } from '../../src/errors.js';
import type { Incident } from '../../src/incidents/incident.js';

/** Where incident cards go: the first route matching the incident, else the default channel. */
export const RoutingConfig = z.object({
  defaultChannel: z.string().min(1),
  routes: z
    .array(
      z.object({
        channel: z.string().min(1),
        service: z.string().optional(),
        namespace: z.string().optional(),
        team: z.string().optional(),
      }),
    )
    .default([]),
  /** Team name → the service names it owns. */
  teams: z.record(z.string(), z.array(z.string())).default({}),
});
export type RoutingConfig = z.infer<typeof RoutingConfig>;

/** Reads a routing config (parsed JSON); throws InputError naming the bad field. */
export function parseRoutingConfig(json: unknown): RoutingConfig {
  const r = RoutingConfig.safeParse(json);
  if (!r.success)
    throw new InputError(`slack routing › ${r.error.issues[0].path.join('.')}`, r.error.issues[0].message);
  return r.data;
}

/** Namespace and name of an entity uid `Label:cluster/namespace/name` (namespace undefined when absent). */
function placeOf(entity: string): { namespace?: string; name: string } {
  const parts = entity
    .slice(entity.indexOf(':') + 1)
    .split('/')
    .map(decodeURIComponent);
  return { namespace: parts.length >= 3 ? parts[1] : undefined, name: parts[parts.length - 1] };
}

/**
 * The channel for an incident's card. Entities are tried in order of relevance (entry, top suspect,
 * the rest); a route matches when all the fields it sets match one entity. Pure.
 */
export function routeIncident(incident: Incident, cfg: RoutingConfig): string {
  const entities = [incident.entry, incident.suspects[0]?.entity, ...incident.entities].filter((e): e is string =>
    Boolean(e),
  );
  for (const route of cfg.routes) {
    const hit = entities.some((e) => {
      const p = placeOf(e);
      return (
        (route.service === undefined || route.service === p.name) &&
        (route.namespace === undefined || route.namespace === p.namespace) &&
        (route.team === undefined || (cfg.teams[route.team] ?? []).includes(p.name))
      );
    });
    if (hit) return route.channel;
  }
  return cfg.defaultChannel;
}

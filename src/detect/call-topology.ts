/**
 * The call graph as detection needs it: service names and caller → callee pairs (read from the graph by
 * src/flow/read-call-topology.ts), and the front doors (services no other service calls), whose SLIs
 * are the ones users feel. Pure.
 */
/** Services (by name) and call edges between them (caller, callee). */
export interface CallTopology {
  services: string[];
  edges: Array<[string, string]>;
}

/** Entities among `entities` that no other entity calls (every entity when the edges say nothing about them). Pure. */
export function frontDoors(entities: readonly string[], edges: ReadonlyArray<readonly [string, string]>): string[] {
  const called = new Set(edges.filter(([a, b]) => a !== b).map(([, b]) => b));
  const known = new Set(edges.flat());
  const doors = entities.filter((e) => known.has(e) && !called.has(e));
  return doors.length > 0 ? doors : [...entities];
}

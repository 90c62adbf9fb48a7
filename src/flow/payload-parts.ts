/** Zod pieces the job payload schemas share. A payload crosses Redis as JSON, so these are JSON types. */
import { z } from 'zod';

/** Milliseconds since epoch (or a duration in ms). */
export const ms = z.number().int().nonnegative();

/** An incident number. */
export const incidentNumber = z.number().int().positive();

const prop = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.string()),
  z.array(z.number()),
  z.array(z.boolean()),
]);
/** A graph record's properties. */
export const props = z.record(z.string(), prop);

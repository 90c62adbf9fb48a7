/**
 * Human merge/split corrections as they live in the knowledge graph: one `AlertCorrection` node each,
 * holding the correction (with its labelled alert pairs) as JSON. The compressor is rebuilt from
 * them at start-up, so what people taught the correlation survives a restart.
 */
import { z } from 'zod';
import { InputError } from '../errors.js';
import type { GraphStore } from '../graph/graph-store.js';
import type { Correction } from '../alerts/learn-from-corrections.js';
import { uid } from '../model/uid.js';

const unit = z.number().min(0).max(1);
const correctionSchema = z.object({
  kind: z.enum(['merge', 'split']),
  at: z.number(),
  incidents: z.tuple([z.string(), z.string()]),
  fingerprints: z.array(z.string()),
  examples: z.array(
    z.object({
      names: z.tuple([z.string(), z.string()]),
      features: z.object({ time: unit, topology: unit, text: unit }),
      together: z.boolean(),
    }),
  ),
});

const correctionUid = (c: Correction) => uid('AlertCorrection', c.kind, String(c.at), ...c.incidents);

/** Stores one correction (idempotent: the same correction lands on the same node). */
export async function saveAlertCorrection(graph: GraphStore, c: Correction): Promise<void> {
  await graph.upsert({
    observedAt: c.at,
    nodes: [
      { label: 'AlertCorrection', uid: correctionUid(c), props: { kind: c.kind, at: c.at, json: JSON.stringify(c) } },
    ],
    edges: [],
  });
}

/** Every stored correction, oldest first; a malformed one is an error naming its node. */
export async function loadAlertCorrections(graph: GraphStore): Promise<Correction[]> {
  const nodes = await graph.findNodes({ label: 'AlertCorrection', limit: 100_000 });
  const out = nodes.map((n) => {
    const parsed = correctionSchema.safeParse(typeof n.props.json === 'string' ? safeJson(n.props.json) : undefined);
    if (!parsed.success)
      throw new InputError(
        `${n.uid} › json`,
        `not a stored alert correction: ${parsed.error.issues[0]?.message ?? 'unreadable'}`,
      );
    return parsed.data;
  });
  return out.sort((a, b) => a.at - b.at);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

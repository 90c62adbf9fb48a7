import { RootgraphError } from '../errors.js';
import type { GraphStore } from '../graph/graph-store.js';
import { z } from 'zod';
import { EDGE_TYPES, NODE_LABELS } from '../model/graph.js';
import type { FlowResult } from './flow-result.js';
import { ms, props } from './payload-parts.js';

/** A batch of knowledge-graph records to upsert (ingest adapters' output); `source` names the adapter, for logs. */
export const IngestBatchPayload = z.object({
  source: z.string().min(1),
  batch: z.object({
    nodes: z.array(z.object({ label: z.enum(NODE_LABELS), uid: z.string().min(1), props })),
    edges: z.array(z.object({ type: z.enum(EDGE_TYPES), from: z.string().min(1), to: z.string().min(1), props })),
    observedAt: ms.optional(),
  }),
});
export type IngestBatchJobInput = z.infer<typeof IngestBatchPayload>;

/**
 * Upserts one ingest batch. Idempotent (the store's upsert is), so a re-delivered batch is harmless.
 * Rejected records are reported as data; a store that is down throws UNAVAILABLE and is retried.
 */
export async function runIngestBatchJob(
  input: IngestBatchJobInput,
  ports: { graph: GraphStore },
): Promise<FlowResult<{ source: string; written: number; rejected: number }>> {
  try {
    const r = await ports.graph.upsert(input.batch);
    return {
      summary: {
        source: input.source,
        written: r.nodesCreated + r.nodesUpdated + r.edgesCreated + r.edgesUpdated,
        rejected: r.rejected.length,
      },
      next: [],
    };
  } catch (err) {
    if (err instanceof RootgraphError) throw err;
    throw new RootgraphError(
      'UNAVAILABLE',
      `graph upsert of a ${input.source} batch failed: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

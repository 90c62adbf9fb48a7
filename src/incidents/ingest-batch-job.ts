import { RootgraphError } from '../errors.js';
import type { GraphStore } from '../graph/graph-store.js';
import type { FlowResult, IngestBatchJobInput } from './job-inputs.js';

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

/**
 * The RCA weights as they live in the knowledge graph: one `RcaModel` node whose `weights` property
 * holds the JSON, plus the ids of the feedback already applied (so a re-delivered job applies once).
 */
import type { GraphStore } from '../graph/graph-store.js';
import { uid } from '../model/uid.js';
import { defaultWeights, parseWeights, type RcaWeights } from '../rca/weights.js';

/** The model node's uid (one model per deployment). */
export const RCA_MODEL_UID = uid('RcaModel', 'default');

/** Applied feedback ids kept; older ones fall off (a re-delivery comes within minutes, not weeks). */
const MAX_APPLIED = 2_000;

export interface RcaModel {
  weights: RcaWeights;
  /** Feedback ids already folded into `weights`, oldest first. */
  applied: string[];
  version: number;
}

/** Reads the model; default weights when none was saved yet. */
export async function loadRcaModel(graph: GraphStore): Promise<RcaModel> {
  const node = await graph.getNode(RCA_MODEL_UID);
  if (!node || typeof node.props.weights !== 'string') return { weights: defaultWeights(), applied: [], version: 0 };
  return {
    weights: parseWeights(JSON.parse(node.props.weights), `${RCA_MODEL_UID} › weights`),
    applied: Array.isArray(node.props.applied) ? (node.props.applied as string[]) : [],
    version: typeof node.props.version === 'number' ? node.props.version : 0,
  };
}

/** Writes weights and applied ids in one upsert, so both change together or not at all. */
export async function saveRcaModel(graph: GraphStore, model: RcaModel, at: number): Promise<void> {
  await graph.upsert({
    observedAt: at,
    nodes: [
      {
        label: 'RcaModel',
        uid: RCA_MODEL_UID,
        props: {
          name: 'default',
          weights: JSON.stringify(model.weights),
          applied: model.applied.slice(-MAX_APPLIED),
          version: model.version,
          updatedAt: at,
        },
      },
    ],
    edges: [],
  });
}

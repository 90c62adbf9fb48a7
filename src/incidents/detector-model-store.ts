/**
 * Trained detector models as they live in the knowledge graph: one `DetectorModel` node per system
 * (weights, topology, thresholds and held-out scores as JSON), beside the RCA weights' node.
 */
import { InputError } from '../errors.js';
import type { GraphStore } from '../graph/graph-store.js';
import {
  DETECTOR_MODEL_FORMAT,
  detectorModelUid,
  fromDetectorModelJson,
  toDetectorModelJson,
  type DetectorModel,
  type DetectorModelJson,
} from '../detect/detector-model.js';

/** Writes `model` as its system's `DetectorModel` node (one upsert); returns the version it was saved as. */
export async function saveDetectorModel(graph: GraphStore, model: DetectorModel, at: number): Promise<number> {
  const version = await saveDetectorModelJson(graph, await toDetectorModelJson(model), at);
  model.version = version;
  return version;
}

/**
 * Writes a model already in its JSON form (what a training worker hands back, see
 * src/detect/train-off-thread.ts) as its system's node; returns, and sets on `json`, the version saved.
 */
export async function saveDetectorModelJson(graph: GraphStore, json: DetectorModelJson, at: number): Promise<number> {
  const id = detectorModelUid(json.system);
  const prior = await graph.getNode(id);
  const version = (typeof prior?.props.version === 'number' ? prior.props.version : 0) + 1;
  const { format, system, topology, thresholds, validation, training, weights, ...scalars } = json;
  await graph.upsert({
    observedAt: at,
    nodes: [
      {
        label: 'DetectorModel',
        uid: id,
        props: {
          ...scalars,
          name: system,
          format,
          version,
          topology: JSON.stringify(topology),
          thresholds: JSON.stringify(thresholds),
          validation: JSON.stringify(validation),
          training: JSON.stringify(training),
          weights: JSON.stringify(weights),
          updatedAt: at,
        },
      },
    ],
    edges: [],
  });
  json.version = version;
  return version;
}

/** Reads a system's model; undefined when none was saved (or it is in an older format: retrain). */
export async function loadDetectorModel(graph: GraphStore, system = 'default'): Promise<DetectorModel | undefined> {
  const id = detectorModelUid(system);
  const node = await graph.getNode(id);
  if (!node || node.props.format !== DETECTOR_MODEL_FORMAT) return undefined;
  const p = node.props;
  const json = (k: string): never => {
    if (typeof p[k] !== 'string') throw new InputError(`${id} › ${k}`, 'missing or not a JSON string');
    return JSON.parse(p[k]) as never;
  };
  const num = (k: string): number => {
    if (typeof p[k] !== 'number') throw new InputError(`${id} › ${k}`, 'missing or not a number');
    return p[k];
  };
  return fromDetectorModelJson(
    {
      format: DETECTOR_MODEL_FORMAT,
      system,
      version: num('version'),
      trainedAt: num('trainedAt'),
      stepS: num('stepS'),
      falsePerDay: num('falsePerDay'),
      topology: json('topology'),
      thresholds: json('thresholds'),
      validation: json('validation'),
      training: json('training'),
      weights: json('weights'),
    },
    id,
  );
}

/**
 * Worker-thread entry of `trainDetectorModelOffThread` (train-off-thread.ts): trains one detector
 * model on the cube it is given, posts each epoch's report, then the model as plain JSON, and exits.
 * TensorFlow.js (wasm) runs its whole training here, so the parent's event loop keeps serving ingest.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toDetectorModelJson, trainDetectorModel } from './detector-model.js';
import type { TrainRequest, TrainWorkerMessage } from './train-off-thread.js';

const port = parentPort;
if (!port) throw new Error('train-worker.ts runs only as a worker thread (see train-off-thread.ts)');
const post = (m: TrainWorkerMessage) => port.postMessage(m);

const req = workerData as TrainRequest;
try {
  const model = await trainDetectorModel({
    cube: req.cube,
    stepS: req.stepS,
    system: req.system,
    falsePerDay: req.falsePerDay,
    vae: req.vae,
    now: () => req.trainedAt,
    onEpoch: (report) => post({ kind: 'epoch', report }),
  });
  try {
    post({ kind: 'done', model: await toDetectorModelJson(model) });
  } finally {
    model.vae.dispose();
  }
} catch (err) {
  const e = err as { name?: string; message?: string; code?: string; where?: string; what?: string; hint?: string };
  post({
    kind: 'error',
    name: e.name ?? 'Error',
    message: e.message ?? String(err),
    code: e.code,
    where: e.where,
    what: e.what,
    hint: e.hint,
  });
}

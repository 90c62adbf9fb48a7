/**
 * Trains a detector model (detector-model.ts) in a worker thread, so a minute of TensorFlow.js
 * training never stalls the event loop that takes ingest, web and Slack traffic. The worker gets the
 * cube by structured clone and hands back the model as plain JSON (`DetectorModelJson`), which is what
 * the graph stores anyway: no tensors ever exist in the calling thread.
 * Under tsx or vitest (tests, `rootgraph` from the sources) the worker runs the .ts entry through tsx;
 * in the built dist/ (scripts/build.js compiles every source file) it is the compiled .js beside this one.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InputError, RootgraphError, type ErrorCode } from '../errors.js';
import type { DetectorModelJson } from './detector-model.js';
import type { EpochReport, MetricCube, VaeOptions } from './graph-lstm-vae/model.js';

/** What the worker is asked to train (all structured-cloneable). */
export interface TrainRequest {
  cube: MetricCube;
  stepS: number;
  system: string;
  falsePerDay: number;
  vae: Partial<VaeOptions>;
  /** Unix ms recorded as the model's `trainedAt`. */
  trainedAt: number;
}

/** What the worker posts back: a report per epoch, then the model or the error. */
export type TrainWorkerMessage =
  | { kind: 'epoch'; report: EpochReport }
  | { kind: 'done'; model: DetectorModelJson }
  | {
      kind: 'error';
      name: string;
      message: string;
      code?: string;
      where?: string;
      what?: string;
      hint?: string;
    };

/**
 * How to start the worker from here: the compiled .js entry beside this file, or, from a .ts source,
 * a small bootstrap that registers tsx's loader before importing the .ts entry (a worker does not
 * inherit the loader, and Node 20 applies `--import` too late for the entry itself).
 */
export function trainWorkerEntry(): { entry: URL | string; eval: boolean } {
  if (!import.meta.url.endsWith('.ts')) return { entry: new URL('./train-worker.js', import.meta.url), eval: false };
  const api = pathToFileURL(tsxEsmApi()).href;
  const ts = new URL('./train-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(ts)}); });`;
  return { entry: boot, eval: true };
}

/** The file of tsx's ESM register API (`tsx/esm/api` under the import condition, read from its exports). */
function tsxEsmApi(): string {
  const req = createRequire(import.meta.url);
  const pkgFile = req.resolve('tsx/package.json');
  const pkg = req(pkgFile) as { exports: Record<string, { import: { default: string } }> };
  return join(dirname(pkgFile), pkg.exports['./esm/api'].import.default);
}

/**
 * Trains on `req` in a new worker thread and resolves with the model as JSON; `onEpoch` sees each
 * epoch's report (in this thread). Rejects with the worker's error (an InputError stays one).
 */
export function trainDetectorModelOffThread(
  req: TrainRequest,
  opts: { onEpoch?: (r: EpochReport) => void; onWorker?: (threadId: number) => void } = {},
): Promise<DetectorModelJson> {
  const { entry, eval: isEval } = trainWorkerEntry();
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry, { workerData: req, eval: isEval });
    opts.onWorker?.(worker.threadId);
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: TrainWorkerMessage) => {
      if (m.kind === 'epoch') opts.onEpoch?.(m.report);
      else if (m.kind === 'done') settle(() => resolve(m.model));
      else settle(() => reject(toError(m)));
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) =>
      settle(() =>
        reject(new RootgraphError('INTERNAL', `detector training worker exited with code ${code} before finishing`)),
      ),
    );
  });
}

function toError(m: Extract<TrainWorkerMessage, { kind: 'error' }>): Error {
  const hint = m.hint ? { hint: m.hint } : {};
  if (m.name === 'InputError' && m.where !== undefined && m.what !== undefined)
    return new InputError(m.where, m.what, hint);
  if (m.code) return new RootgraphError(m.code as ErrorCode, m.message, hint);
  return new Error(m.message);
}

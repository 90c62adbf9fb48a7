/**
 * Chooses the TensorFlow.js backend once per process: tfjs-node when it happens to be installed
 * (it cannot be installed on machines without binary downloads), else the wasm backend loaded from
 * node_modules by file path, else the pure-JS cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

let chosen: Promise<string> | undefined;

/** Initialises and returns the backend name (`tensorflow`, `wasm` or `cpu`). Idempotent. */
export function ensureTfBackend(): Promise<string> {
  chosen ??= pick();
  return chosen;
}

async function pick(): Promise<string> {
  // A variable specifier keeps TypeScript from requiring tfjs-node's types.
  const nodeBackend = '@tensorflow/tfjs-node';
  try {
    await import(nodeBackend);
    if (await tf.setBackend('tensorflow')) return tf.getBackend();
  } catch {
    // Not installed: fall through to wasm.
  }
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const req = createRequire(import.meta.url);
    const dir = dirname(req.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    wasm.setWasmPaths(`${dir}/`);
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      return tf.getBackend();
    }
  } catch {
    // wasm unavailable: the cpu backend is always there, only slower.
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return tf.getBackend();
}

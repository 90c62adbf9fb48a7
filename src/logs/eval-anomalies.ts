/**
 * Scoring log anomaly detection against per-line labels (BGL's Loghub sample: the first field is
 * `-` for a normal line, an alert category otherwise), per line and per window, beside two naive
 * detectors measured on the same lines and published unsupervised baselines. Pure.
 */
import { TemplateMiner } from './drain.js';
import type { CaseLogRow } from './loghub-case.js';

/** Precision, recall and F1 of flags against labels, with the counts behind them. */
export interface DetectionScore {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
  /** Units (lines or windows) flagged, and in all. */
  flagged: number;
  total: number;
}

/** Scores flags against labels (same order, same length). Precision of no flags is 0. */
export function scoreFlags(truth: readonly boolean[], flags: readonly boolean[]): DetectionScore {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < truth.length; i++) {
    if (flags[i] && truth[i]) tp++;
    else if (flags[i]) fp++;
    else if (truth[i]) fn++;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, tp, fp, fn, flagged: tp + fp, total: truth.length };
}

/**
 * Lines to windows: the units the checks judge, one per entity and window (its next `windowLines`
 * lines, or `windowMs` of time when `windowLines` is 0, pooled across time windows until it holds
 * `minWindowLines` lines, as LogCheckStream closes them); a window is anomalous when any of its
 * lines is, flagged when any of its lines is.
 */
export function toWindows(
  rows: readonly CaseLogRow[],
  truth: readonly boolean[],
  flags: readonly boolean[],
  window: { windowLines: number; windowMs: number; minWindowLines?: number },
): { truth: boolean[]; flags: boolean[] } {
  const open = new Map<string, { k: number; slot: number; n: number }>();
  const t: boolean[] = [];
  const f: boolean[] = [];
  let latest = -Infinity;
  let lastMs = -Infinity;
  rows.forEach((r, i) => {
    lastMs = Math.max(lastMs, r.timestamp * 1000);
    const slot = window.windowLines > 0 ? 0 : Math.floor(lastMs / window.windowMs);
    if (window.windowLines === 0 && slot > latest) {
      latest = slot;
      for (const [e, w] of open) if (w.slot < slot && w.n >= (window.minWindowLines ?? 0)) open.delete(e);
    }
    let w = open.get(r.entity);
    if (!w) {
      w = { k: t.length, slot, n: 0 };
      open.set(r.entity, w);
      t.push(false);
      f.push(false);
    }
    w.n++;
    t[w.k] ||= truth[i];
    f[w.k] ||= flags[i];
    if (window.windowLines > 0 && w.n >= window.windowLines) open.delete(r.entity);
  });
  return { truth: t, flags: f };
}

/** Naive detector: every FATAL line. */
export function flagFatal(rows: readonly CaseLogRow[]): boolean[] {
  return rows.map((r) => r.level.trim().toUpperCase() === 'FATAL');
}

/** Naive detector: the first line of each template (one miner per entity, learning as it goes). */
export function flagFirstOccurrence(rows: readonly CaseLogRow[]): boolean[] {
  const miners = new Map<string, TemplateMiner>();
  return rows.map((r) => {
    let m = miners.get(r.entity);
    if (!m) {
      m = new TemplateMiner();
      miners.set(r.entity, m);
    }
    return m.add(r.message).change === 'created';
  });
}

/** A published result on BGL, with where and how it was measured. */
export interface PublishedResult {
  method: string;
  precision: number;
  recall: number;
  f1: number;
  source: string;
}

/**
 * Unsupervised and semi-supervised baselines on BGL as published by Guo, Yuan, Wu, "LogBERT: Log
 * Anomaly Detection via BERT", IJCNN 2021, Table 2: the full BGL log (4.7 M lines, Drain-parsed),
 * 5-minute sliding windows with a 1-minute step, trained on 40 % of the normal windows, scored
 * per window (the setting as in the authors' code, HelenGuohx/logbert BGL/data_process.py). Not the
 * setting measured here (a 2,000-line sample, per line and per 20-line window, no training split):
 * context, not a like-for-like comparison. The figures were transcribed from the paper's table, not
 * re-derived here.
 */
export const PUBLISHED_BGL: readonly PublishedResult[] = [
  { method: 'PCA', precision: 0.0907, recall: 0.9823, f1: 0.1661, source: 'LogBERT (IJCNN 2021) Table 2' },
  { method: 'Isolation Forest', precision: 0.997, recall: 0.1811, f1: 0.3065, source: 'LogBERT (IJCNN 2021) Table 2' },
  { method: 'One-class SVM', precision: 0.0106, recall: 0.1224, f1: 0.0196, source: 'LogBERT (IJCNN 2021) Table 2' },
  { method: 'LogCluster', precision: 0.9546, recall: 0.6401, f1: 0.7663, source: 'LogBERT (IJCNN 2021) Table 2' },
  { method: 'DeepLog', precision: 0.8974, recall: 0.8278, f1: 0.8612, source: 'LogBERT (IJCNN 2021) Table 2' },
  { method: 'LogAnomaly', precision: 0.7312, recall: 0.7609, f1: 0.7408, source: 'LogBERT (IJCNN 2021) Table 2' },
];

/**
 * Scores the template miner on one Loghub sample: grouping accuracy of the miner's clusters
 * against the true EventIds (Zhu et al., ICSE-SEIP 2019), beside Drain's published figure.
 */
import { type MinerOptions, TemplateMiner } from './drain.js';
import { groupingAccuracy, type GroupingAccuracy } from './grouping-accuracy.js';
import type { LoghubTruth } from './loghub.js';

/** Drain's GA on the Loghub 2k samples as published (with regexes tuned per dataset). */
export const DRAIN_PUBLISHED_GA: Readonly<Record<string, number>> = {
  HDFS: 0.998,
  BGL: 0.963,
  Hadoop: 0.948,
  Spark: 0.92,
  Zookeeper: 0.967,
  OpenStack: 0.733,
  Apache: 1.0,
  Proxifier: 0.527,
};

/** One dataset's score. `drain` is undefined for datasets without a published figure. */
export interface LoghubScore extends GroupingAccuracy {
  dataset: string;
  drain: number | undefined;
}

/** Mines the `Content` column in order with a fresh miner and scores its grouping. Deterministic. */
export function scoreLoghub(dataset: string, truth: LoghubTruth, options: Partial<MinerOptions> = {}): LoghubScore {
  const miner = new TemplateMiner(options);
  const ids = truth.contents.map((c) => miner.add(c).cluster.id);
  return { dataset, drain: DRAIN_PUBLISHED_GA[dataset], ...groupingAccuracy(truth.eventIds, ids) };
}

/**
 * The evidence an incident's card was ranked on, kept in the knowledge graph: one `RcaEvidence` node
 * per incident holding its latest diagnosis' analysis (src/rca/analysis-json.ts, gzipped, base64).
 * Feedback reweights on it, since by the time an engineer clicks the spans may have left the ingest
 * buffer and the metrics the store's retention. Kept for the most recent incidents only.
 */
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { GraphStore } from '../graph/graph-store.js';
import { INCIDENT_SEQUENCE } from './incident-store.js';
import type { Uid } from '../model/graph.js';
import { uid } from '../model/uid.js';
import type { CaseAnalysis } from '../rca/analyse-case.js';
import { ANALYSIS_FORMAT, analysisFromJson, analysisToJson } from '../rca/analysis-json.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export const rcaEvidenceUid = (incident: number): Uid => uid('RcaEvidence', incident);

export const EVIDENCE_DEFAULTS = {
  /** Evidence is kept for this many most recent incident numbers (feedback comes on recent ones). */
  keepIncidents: 100,
  /**
   * Incident numbers just beyond `keepIncidents` cleared on each save, so a run of numbers never
   * diagnosed (merged, resolved before their RCA) leaves nothing behind.
   */
  sweep: 100,
  /**
   * Stored characters (gzip, base64) above which an analysis is not kept (feedback then re-analyses):
   * 0.58 MB at 3,000 services; the cap bounds the whole at 100 × 2 MiB in the embedded graph's snapshot.
   */
  maxChars: 2 * 1024 * 1024,
};

export type SavedEvidence = { stored: true; bytes: number } | { stored: false; reason: string };

/**
 * Stores `analysis` as incident `incident`'s diagnosis at `revision`, and clears evidence of old incidents.
 * A newer revision's evidence already stored stays (two RCA jobs of one incident may finish out of order).
 */
export async function saveRcaEvidence(
  graph: GraphStore,
  at: { incident: number; revision: number; now: number },
  analysis: CaseAnalysis,
  opts: Partial<typeof EVIDENCE_DEFAULTS> = {},
): Promise<SavedEvidence> {
  const o = { ...EVIDENCE_DEFAULTS, ...opts };
  // Counted from the newest incident, not this one: a late re-diagnosis of an old incident keeps nothing.
  const latest = Math.max(at.incident, await graph.currentSequence(INCIDENT_SEQUENCE));
  const old = latest - o.keepIncidents;
  if (old >= 1)
    await graph.deleteNodes(Array.from({ length: Math.min(o.sweep, old) }, (_, i) => rcaEvidenceUid(old - i)));
  if (at.incident <= old) {
    await graph.deleteNodes([rcaEvidenceUid(at.incident)]);
    return {
      stored: false,
      reason: `incident ${at.incident} is older than the ${o.keepIncidents} most recent (latest ${latest})`,
    };
  }
  // Before compressing: a newer revision's evidence makes this one's moot.
  const prior = await graph.getNode(rcaEvidenceUid(at.incident));
  if (typeof prior?.props.revision === 'number' && prior.props.revision > at.revision)
    return { stored: false, reason: `revision ${prior.props.revision} is stored already` };
  const packed = (await gzipAsync(analysisToJson(analysis))).toString('base64');
  if (packed.length > o.maxChars)
    return { stored: false, reason: `analysis is ${packed.length} characters gzipped, over ${o.maxChars}` };
  const report = await graph.upsert({
    observedAt: at.now,
    nodes: [
      {
        label: 'RcaEvidence',
        uid: rcaEvidenceUid(at.incident),
        props: {
          incident: at.incident,
          revision: at.revision,
          format: ANALYSIS_FORMAT,
          analysis: packed,
          bytes: packed.length,
          updatedAt: at.now,
        },
      },
    ],
    edges: [],
  });
  // A store refuses a record by reporting it, not by throwing.
  const refused = report.rejected[0];
  if (refused) return { stored: false, reason: `refused by the graph: ${refused.where}: ${refused.reason}` };
  return { stored: true, bytes: packed.length };
}

/**
 * The analysis stored for `incident` at exactly `revision`; undefined when there is none, it is of
 * another revision, or it was written in another format (the caller re-analyses).
 */
export async function loadRcaEvidence(
  graph: GraphStore,
  incident: number,
  revision: number,
): Promise<CaseAnalysis | undefined> {
  const id = rcaEvidenceUid(incident);
  const node = await graph.getNode(id);
  const p = node?.props;
  if (!p || p.revision !== revision || p.format !== ANALYSIS_FORMAT || typeof p.analysis !== 'string') return undefined;
  const text = (await gunzipAsync(Buffer.from(p.analysis, 'base64'))).toString('utf8');
  return analysisFromJson(text, `${id} › analysis`);
}

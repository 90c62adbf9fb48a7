/**
 * The evidence an incident's card was ranked on, kept in the knowledge graph: one `RcaEvidence` node
 * per incident holding its latest diagnosis' analysis (src/rca/analysis-json.ts, gzipped, base64).
 * Feedback reweights on it, since by the time an engineer clicks the spans may have left the ingest
 * buffer and the metrics the store's retention. Kept for the most recent incidents only.
 */
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { GraphStore } from '../graph/graph-store.js';
import type { Uid } from '../model/graph.js';
import { uid } from '../model/uid.js';
import type { CaseAnalysis } from '../rca/analyse-case.js';
import { ANALYSIS_FORMAT, analysisFromJson, analysisToJson } from '../rca/analysis-json.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export const rcaEvidenceUid = (incident: number): Uid => uid('RcaEvidence', incident);

export const EVIDENCE_DEFAULTS = {
  /** Evidence is kept for this many most recent incident numbers (feedback comes on recent ones). */
  keepIncidents: 200,
  /** Incident numbers just beyond `keepIncidents` cleared on each save (catches numbers never diagnosed). */
  sweep: 50,
  /** An analysis larger than this, gzipped, is not stored (feedback then re-analyses). ~0.45 MB at 3,000 services. */
  maxBytes: 8 * 1024 * 1024,
};

export type SavedEvidence = { stored: true; bytes: number } | { stored: false; reason: string };

/** Stores `analysis` as incident `incident`'s diagnosis at `revision`, and clears evidence of old incidents. */
export async function saveRcaEvidence(
  graph: GraphStore,
  at: { incident: number; revision: number; now: number },
  analysis: CaseAnalysis,
  opts: Partial<typeof EVIDENCE_DEFAULTS> = {},
): Promise<SavedEvidence> {
  const o = { ...EVIDENCE_DEFAULTS, ...opts };
  const packed = (await gzipAsync(analysisToJson(analysis))).toString('base64');
  const old = at.incident - o.keepIncidents;
  if (old >= 1)
    await graph.deleteNodes(Array.from({ length: Math.min(o.sweep, old) }, (_, i) => rcaEvidenceUid(old - i)));
  if (packed.length > o.maxBytes)
    return { stored: false, reason: `analysis is ${packed.length} bytes gzipped, over ${o.maxBytes}` };
  await graph.upsert({
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

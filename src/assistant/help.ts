import type { Reply } from './reply.js';

/** What the assistant understands, as examples people can copy. */
export const EXAMPLES: Array<[string, string]> = [
  ['incidents', 'list open incidents'],
  ['incident 12', 'show incident 12 with its ranked root causes'],
  [
    'what is wrong with checkout',
    'anomalies, alerts and incidents on checkout and its dependencies (also: why is checkout slow)',
  ],
  ['what changed in payment in the last hour', 'recent changes (since 2h, yesterday, 2024-05-01 …)'],
  ['top anomalies', 'the highest-scoring anomalies now'],
  ['watch items', 'alerts firing outside any incident: lone warnings held back until something joins them'],
  ['dependencies of checkout', 'what checkout calls (dependents of … for its callers)'],
  ['cypher MATCH (s:Service) RETURN s.name LIMIT 5', 'read-only Cypher, allowlisted users only'],
  ['root cause is payment for incident 12', 'feedback: confirm a root cause (or: not payment for incident 12)'],
];

/** The help answer. */
export function helpReply(): Reply {
  return {
    title: 'What I can answer',
    sections: [{ lines: EXAMPLES.map(([ask, what]) => `\`${ask}\` — ${what}`) }],
    evidence: [],
    actions: [],
  };
}

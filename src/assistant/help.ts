import type { Reply } from './reply.js';

/** What the assistant understands, as examples people can copy. Every example is answered by an intent. */
export const EXAMPLES: Array<[string, string]> = [
  ['incidents', 'open incidents with their top suspect'],
  ['incident 12', 'the card: impact, suspects with evidence, alerts, changes, links'],
  ['why?', 'the evidence behind the top suspect of the incident we are talking about'],
  ['what is wrong with checkoutservice', 'anomalies, alerts and incidents on it and its dependencies'],
  ['what is firing', 'every firing alert, by rule, with entities and incidents'],
  ['what changed in the last hour', 'recorded rollouts and config changes (add "in paymentservice" for one)'],
  ['show errors in cartservice logs', 'top log templates with line and error counts (also: logs of X)'],
  ['memory of currencyservice', 'a metric with units (cpu, latency, p90, error rate, traffic, restarts)'],
  ['and its pods?', 'follow-ups keep the subject: pods, dependencies, who owns it, what changed there'],
  ['top anomalies', 'the highest-scoring anomalies now (add "on X" or a time)'],
  [
    'ack · assign to @bob · resolve: rolled back · reopen',
    'incident lifecycle (add "incident N" when several are open)',
  ],
  ['root cause is paymentservice for incident 12', 'feedback: confirm a root cause (or: not paymentservice)'],
  ['watch items', 'alerts firing outside any incident'],
  ['cypher MATCH (s:Service) RETURN s.name LIMIT 5', 'read-only Cypher, allowlisted users only'],
];

/** The help answer. */
export function helpReply(): Reply {
  return {
    title: 'What I can answer',
    sections: [
      {
        lines: [
          ...EXAMPLES.map(([ask, what]) => `\`${ask}\` — ${what}`),
          'Times: "in the last 2 hours", "since 10:30", "yesterday", "between 10:00 and 11:00" (UTC). Names may be shortened or misspelt: I will say which one I took.',
        ],
      },
    ],
    evidence: [],
    actions: [],
  };
}

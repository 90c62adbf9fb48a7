import { userInfo } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { renderIncidentText } from '../../../bots/console/render-text.js';
import { QueuedIncidentCorrections } from '../../../jobs/queued-incident-corrections.js';
import { RootgraphError } from '../../../src/errors.js';
import { shortName } from '../../../src/model/short-name.js';
import { IncidentStore } from '../../../src/incidents/incident-store.js';
import { withGraph, withSharedQueues } from '../lazy-compose.js';

const incidentNumber = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected an incident number');
  return n;
};

function who(): string {
  try {
    return userInfo().username;
  } catch {
    return 'cli';
  }
}

/** Runs a correction on the live queues (the serve/worker processes apply it in order with the alerts). */
async function withCorrections(work: (c: QueuedIncidentCorrections) => Promise<{ message: string }>): Promise<void> {
  const { message } = await withSharedQueues(
    'Merging and splitting live incidents',
    (runner) => work(new QueuedIncidentCorrections(runner)),
    { hint: 'Set REDIS_URL (as for rootgraph serve), or use the merge and split menus on the incident card in Slack.' },
  );
  console.log(message);
}

/** `rootgraph incidents [show N | merge INTO FROM | split N FP…]`: read incidents, correct their grouping. */
export function registerIncidentsCommand(program: Command): void {
  const cmd = program
    .command('incidents')
    .description('List and show incidents; merge or split them (corrections teach the alert grouping)');
  cmd
    .command('list', { isDefault: true })
    .description('Open incidents, newest first')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withGraph(async (graph) => {
        const open = await new IncidentStore(graph).listOpen();
        if (opts.json) console.log(JSON.stringify(open));
        else if (open.length === 0) console.log('no open incidents');
        else
          for (const i of open)
            console.log(
              `#${i.number} [${i.severity}] ${i.title} · ${i.alertFingerprints.length} alerts · top suspect ${i.suspects[0] ? shortName(i.suspects[0].entity) : '—'}`,
            );
      });
    });
  cmd
    .command('show')
    .argument('<number>', 'incident number', incidentNumber)
    .description('One incident with its ranked root causes')
    .action(async (n: number) => {
      await withGraph(async (graph) => {
        const i = await new IncidentStore(graph).get(n);
        if (!i) throw new RootgraphError('NOT_FOUND', `incident ${n} does not exist`);
        console.log(renderIncidentText(i));
      });
    });
  cmd
    .command('merge')
    .argument('<into>', 'incident to keep', incidentNumber)
    .argument('<from>', 'incident folded into it', incidentNumber)
    .description('Fold incident FROM into INTO (needs REDIS_URL)')
    .action(async (into: number, from: number) =>
      withCorrections((c) => c.merge({ into, from, by: who(), at: Date.now() })),
    );
  cmd
    .command('split')
    .argument('<number>', 'incident to split', incidentNumber)
    .argument('<fingerprints...>', 'alert fingerprints to move out')
    .description('Move these alerts out of incident N into a new incident (needs REDIS_URL)')
    .action(async (n: number, fingerprints: string[]) =>
      withCorrections((c) => c.split({ incident: n, fingerprints, by: who(), at: Date.now() })),
    );
}

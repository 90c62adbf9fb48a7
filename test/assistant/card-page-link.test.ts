import { describe, expect, it } from 'vitest';
import { loadCardContext } from '../../src/assistant/card-context.js';
import { toIncidentCard } from '../../src/assistant/incident-card.js';
import { MemoryGraphStore } from '../../src/graph/memory/memory-graph-store.js';
import type { Incident } from '../../src/incidents/incident.js';
import { verifySignedPath } from '../../src/model/incident-page-url.js';

const incident: Incident = {
  number: 7,
  title: 'checkout slow',
  status: 'open',
  severity: 'critical',
  openedAt: Date.now() - 60_000,
  updatedAt: Date.now(),
  revision: 1,
  entities: [],
  alertFingerprints: [],
  suspects: [],
};

describe('the card links to the incident page', () => {
  it('with a signed link when rootgraph’s public URL and a secret are configured, and none without a URL', async () => {
    const graph = await MemoryGraphStore.open();
    const page = { publicUrl: 'https://rootgraph.example/', secret: 's3cret', linkTtlS: 3_600 };
    const card = toIncidentCard(incident, await loadCardContext({ graph, links: { page }, ownerLabels: [] }, incident));
    const link = card.links.find((l) => l.url.startsWith('https://rootgraph.example/incidents/7?'));
    expect(link?.url).toMatch(/exp=\d+&sig=[0-9a-f]{64}$/);
    expect(
      verifySignedPath(
        new URL(link!.url).pathname + new URL(link!.url).search,
        's3cret',
        Math.floor(Date.now() / 1000),
      ),
    ).toBe(true);
    const bare = toIncidentCard(incident, await loadCardContext({ graph, links: {}, ownerLabels: [] }, incident));
    expect(bare.links.some((l) => l.url.includes('/incidents/7'))).toBe(false);
  });
});

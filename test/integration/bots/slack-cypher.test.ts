import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Neo4jGraphStore } from '../../../src/graph/neo4j/neo4j-graph-store.js';
import { uid } from '../../../src/model/uid.js';
import { openNeo4j } from '../../helpers/services.js';
import { postSigned, slashCommandBody } from '../../helpers/slack-standin.js';
import { SECRET, startHarness, type Harness } from '../../bots/slack-harness.js';

/** Cypher from Slack against the real Neo4j: allowlisted users get rows, every query is audited in the graph. */
describe('Slack Cypher on Neo4j', () => {
  let graph: Neo4jGraphStore;
  let h: Harness;
  const tag = `rgtest-${randomUUID().slice(0, 8)}`;
  const uids = Array.from({ length: 120 }, (_, i) =>
    uid('Service', 'default', tag, `svc-${String(i).padStart(3, '0')}`),
  );

  beforeAll(async () => {
    graph = await openNeo4j();
    await graph.upsert({
      nodes: uids.map((u, i) => ({
        label: 'Service',
        uid: u,
        props: { name: `svc-${String(i).padStart(3, '0')}`, namespace: tag },
      })),
      edges: [],
    });
    h = await startHarness(graph, { clock: Date.now });
  });
  afterAll(async () => {
    await h?.close();
    const audits = await graph.findNodes({ label: 'CypherAudit' });
    await graph.deleteNodes([...uids, ...audits.filter((a) => String(a.props.query).includes(tag)).map((a) => a.uid)]);
    await graph.close();
  });

  const slash = async (user: string, text: string) => {
    const res = await postSigned(h.events, slashCommandBody(h.standIn, { user, channel: 'COPS', text }), {
      secret: SECRET,
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(200);
    return h.standIn.of('response_url').at(-1)!.body;
  };

  it("an allowlisted user's query answers with a table, and is recorded as a CypherAudit node", async () => {
    const query = `MATCH (s:Service {namespace: '${tag}'}) RETURN s.name AS name ORDER BY name LIMIT 3`;
    const body = await slash('USRE', `cypher ${query}`);
    const text = JSON.stringify(body.blocks);
    expect(body.response_type).toBe('in_channel');
    expect(text).toContain('Cypher: 3 rows');
    expect(text).toContain('svc-000');
    expect(text).toContain('svc-002');
    expect(text).not.toContain('svc-003');
    const audit = await graph.findNodes({ label: 'CypherAudit', where: { by: 'USRE', query } });
    expect(audit).toHaveLength(1);
    expect(audit[0].props).toMatchObject({ outcome: 'ok', rows: 3, channel: 'COPS' });
    expect(typeof audit[0].props.at).toBe('number');
  });

  it('a user-group member is allowed; a large result goes out as a file and is row-capped', async () => {
    const query = `MATCH (s:Service {namespace: '${tag}'}) RETURN s.name AS name, s.uid AS uid, s.namespace + '/' + s.name AS path ORDER BY name`;
    const body = await slash('UGRP', `cypher ${query}`);
    const text = JSON.stringify(body.blocks);
    expect(text).toContain('50 rows (truncated)'); // maxRows 50 in the harness
    expect(text).toContain('attached as the file');
    const upload = h.standIn.of('upload').at(-1);
    expect(String(upload?.body.raw ?? JSON.stringify(upload?.body))).toContain('svc-049');
    expect(h.standIn.of('files.completeUploadExternal').at(-1)?.body.channel_id).toBe('COPS');
  });

  it("a stranger's query is refused without running, and audited", async () => {
    const query = `MATCH (s:Service {namespace: '${tag}'}) RETURN count(s)`;
    const body = await slash('USTRANGER', `cypher ${query}`);
    expect(JSON.stringify(body.blocks)).toContain('allowlisted');
    const audit = await graph.findNodes({ label: 'CypherAudit', where: { by: 'USTRANGER', query } });
    expect(audit[0]?.props).toMatchObject({ outcome: 'refused', code: 'NOT_ALLOWED' });
  });

  it('a write query is refused and the graph is unchanged', async () => {
    const body = await slash('USRE', `cypher MATCH (s:Service {namespace: '${tag}'}) DETACH DELETE s`);
    expect(JSON.stringify(body.blocks)).toContain('read-only');
    expect(await graph.getNode(uids[0])).toBeDefined();
  });
});

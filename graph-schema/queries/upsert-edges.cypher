// $rows: [{type, from, to, props}]; one relationship per (type, from, to). End nodes must exist.
UNWIND $rows AS row
MATCH (a:Node {uid: row.from})
MATCH (b:Node {uid: row.to})
MERGE (a)-[r:$(row.type)]->(b)
  ON CREATE SET r.firstSeen = $observedAt, r.lastSeen = $observedAt
SET r += row.props
SET r.lastSeen = CASE WHEN r.lastSeen < $observedAt THEN $observedAt ELSE r.lastSeen END

// $rows: [{uid, label, props}], $observedAt: ms since epoch. Idempotent; lastSeen never moves back.
UNWIND $rows AS row
MERGE (n:Node {uid: row.uid})
  ON CREATE SET n.firstSeen = $observedAt, n.lastSeen = $observedAt
SET n:$(row.label)
SET n += row.props
SET n.lastSeen = CASE WHEN n.lastSeen < $observedAt THEN $observedAt ELSE n.lastSeen END

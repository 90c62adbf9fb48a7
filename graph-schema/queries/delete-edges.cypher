// $rows: [{type, from, to}]; types are checked against the schema before they reach this query.
UNWIND $rows AS row
MATCH (a:Node {uid: row.from})-[r]->(b:Node {uid: row.to})
WHERE type(r) = row.type
DELETE r

// Every relationship of $types (all when null) between two nodes of $uids.
MATCH (a:Node)-[r]->(b:Node)
WHERE a.uid IN $uids AND b.uid IN $uids AND ($types IS NULL OR type(r) IN $types)
RETURN type(r) AS type, a.uid AS from, b.uid AS to, properties(r) AS props

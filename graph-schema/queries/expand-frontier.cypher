// One breadth-first step: neighbours of $frontier over $types (all when null), in $direction.
UNWIND $frontier AS u
MATCH (a:Node {uid: u})-[r]-(b:Node)
WHERE ($types IS NULL OR type(r) IN $types)
  AND ($direction = 'both' OR ($direction = 'out' AND startNode(r) = a) OR ($direction = 'in' AND endNode(r) = a))
RETURN DISTINCT b.uid AS uid

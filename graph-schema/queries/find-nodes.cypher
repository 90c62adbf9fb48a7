// $label is checked against the schema's labels before it reaches this query.
MATCH (n:$($label))
WHERE all(k IN keys($where) WHERE n[k] = $where[k])
RETURN n.uid AS uid, $label AS label, properties(n) AS props
LIMIT $limit

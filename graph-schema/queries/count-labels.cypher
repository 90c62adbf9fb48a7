MATCH (n:Node)
RETURN [l IN labels(n) WHERE l <> 'Node'][0] AS label, count(*) AS n

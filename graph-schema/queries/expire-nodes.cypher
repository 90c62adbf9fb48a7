MATCH (n:Node)
WHERE n.lastSeen < $before AND ($labels IS NULL OR any(l IN labels(n) WHERE l IN $labels))
DETACH DELETE n

MATCH (:Node)-[r]->(:Node)
WHERE r.lastSeen < $before
DELETE r

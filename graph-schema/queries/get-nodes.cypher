UNWIND $uids AS u
MATCH (n:Node {uid: u})
RETURN n.uid AS uid, [l IN labels(n) WHERE l <> 'Node'][0] AS label, properties(n) AS props

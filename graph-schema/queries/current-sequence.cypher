// A counter's last value, read without taking its lock (0 before the first allocation).
OPTIONAL MATCH (s:RootgraphSequence {name: $name})
RETURN coalesce(s.value, 0) AS value

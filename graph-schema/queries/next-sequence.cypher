// Atomic counter: MERGE takes the unique-constraint lock, SET increments under it.
MERGE (s:RootgraphSequence {name: $name})
  ON CREATE SET s.value = 0
SET s.value = s.value + 1
RETURN s.value AS value

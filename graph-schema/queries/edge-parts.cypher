// The per-writer parts (`part.<replica>` properties) of the relationships in $rows: [{i, type, from, to}],
// read after this transaction wrote its own part (it holds the relationship's lock).
UNWIND $rows AS row
MATCH (:Node {uid: row.from})-[r:$(row.type)]->(:Node {uid: row.to})
RETURN row.i AS i, [k IN keys(r) WHERE k STARTS WITH 'part.' | r[k]] AS parts

// $rows: [{type, from, to, props}]: sets the shown properties of existing relationships (the merge of their parts).
UNWIND $rows AS row
MATCH (:Node {uid: row.from})-[r:$(row.type)]->(:Node {uid: row.to})
SET r += row.props

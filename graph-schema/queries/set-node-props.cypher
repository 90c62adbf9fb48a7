// $rows: [{uid, props}]: sets the shown properties of existing nodes (the merge of their parts).
UNWIND $rows AS row
MATCH (n:Node {uid: row.uid})
SET n += row.props

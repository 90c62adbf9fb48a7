// The per-writer parts (`part.<replica>` properties) of $uids, read after this transaction wrote its own
// part (so it holds the node's lock and sees every other writer's committed part).
UNWIND $uids AS u
MATCH (n:Node {uid: u})
RETURN u AS uid, [k IN keys(n) WHERE k STARTS WITH 'part.' | n[k]] AS parts

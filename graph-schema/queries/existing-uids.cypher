// Which of $uids exist; used to reject edges to unknown nodes before writing.
UNWIND $uids AS u
MATCH (n:Node {uid: u})
RETURN n.uid AS uid

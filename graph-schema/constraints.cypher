// Applied at start-up; every statement is idempotent (IF NOT EXISTS).
// Every graph node carries the :Node label and a unique, stable uid built from its natural identity.
CREATE CONSTRAINT node_uid IF NOT EXISTS FOR (n:Node) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT sequence_name IF NOT EXISTS FOR (s:RootgraphSequence) REQUIRE s.name IS UNIQUE;

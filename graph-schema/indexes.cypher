// Applied at start-up; every statement is idempotent (IF NOT EXISTS).
CREATE INDEX node_last_seen IF NOT EXISTS FOR (n:Node) ON (n.lastSeen);
CREATE INDEX service_name IF NOT EXISTS FOR (n:Service) ON (n.name);
CREATE INDEX pod_name IF NOT EXISTS FOR (n:Pod) ON (n.name);
CREATE INDEX alert_fingerprint IF NOT EXISTS FOR (n:Alert) ON (n.fingerprint);
CREATE INDEX incident_number IF NOT EXISTS FOR (n:Incident) ON (n.number);
CREATE INDEX incident_status IF NOT EXISTS FOR (n:Incident) ON (n.status);
CREATE INDEX change_time IF NOT EXISTS FOR (n:Change) ON (n.at);
CREATE INDEX anomaly_start IF NOT EXISTS FOR (n:Anomaly) ON (n.start);

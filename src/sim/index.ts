/**
 * The simulator's public API: simulated microservice systems (Online Boutique, or generated ones of
 * any size) with fault injection, producing metrics, traces, logs, alerts and ground truth, plus
 * exporters to the offline case format and the live wire formats (OTLP JSON, Alertmanager webhooks,
 * Kubernetes YAML). Everything is pure and deterministic in the seed.
 */
export * from './types.js';
export { simulate, topologyFor, DEFAULTS as SIM_DEFAULTS, MAX_NOISE_SCALE } from './simulate.js';
export { onlineBoutique } from './online-boutique.js';
export { generateSystem } from './generate-system.js';
export { kubernetesManifests, manifestObjects } from './manifests.js';
export { fingerprint } from './alerts.js';
export { OWN_METRIC } from './faults.js';
export { upstreamOf, hopsTo, servedServices, faultCanAct } from './topology-util.js';
export { createRng, type Rng } from './rng.js';
export {
  toCaseFiles,
  caseTruth,
  telemetryWindow,
  csvField,
  caseNumber,
  CASE_SIGNALS,
  type CaseEntities,
  type CaseSignals,
} from './export-case.js';
export { planSuite, suiteTruth, type SuiteCase } from './export-suite.js';
export { toOtlpTraces, toOtlpLogs, toOtlpMetrics, type MetricSlice } from './otlp.js';
export { toAlertmanagerWebhooks, type WebhookDelivery, type WebhookOptions } from './alertmanager.js';

/** Log templates and log anomaly checks: the public surface of src/logs. */
export {
  DEFAULTS as MINER_DEFAULTS,
  TemplateMiner,
  type AddResult,
  type MinerOptions,
  type MinerSnapshot,
  type TemplateCluster,
} from './drain.js';
export { maskMessage, renderTemplate, WILDCARD, type MaskedMessage } from './mask.js';
export { compileLogFormat, type LogFormat } from './log-format.js';
export { groupingAccuracy, type GroupingAccuracy } from './grouping-accuracy.js';
export { LOGHUB_FORMATS, parseLoghubStructured, type LoghubTruth } from './loghub.js';
export { DRAIN_PUBLISHED_GA, scoreLoghub, type LoghubScore } from './eval-loghub.js';
export {
  isErrorLevel,
  mineTemplateWindows,
  templateKey,
  type LogLine,
  type MinedWindows,
  type TemplateInfo,
  type TemplateWindow,
} from './template-windows.js';
export {
  DEFAULTS as LOG_CHECK_DEFAULTS,
  detectLogAnomalies,
  type LogAnomaly,
  type LogAnomalyKind,
  type LogCheckOptions,
} from './log-checks.js';
export { hashKey } from './template-group.js';
export { sameService, serviceKey, serviceRefOf, type ServiceRef } from './service-ref.js';
export { logAnomalyUid, logTemplateUid, toLogGraphBatch, type GraphPlacement } from './to-graph.js';

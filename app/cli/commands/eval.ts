import type { Command } from 'commander';
import { registerEvalAlertsCommand } from './eval-alerts.js';
import { registerEvalDetectCommand } from './eval-detect.js';
import { registerEvalLogsCommand } from './eval-logs.js';
import { registerEvalRcaCommand } from './eval-rca.js';

/** `rootgraph eval <what>`: accuracy of each algorithm on simulated and real data, with standard metrics. */
export function registerEvalCommand(program: Command): void {
  const evalCmd = program
    .command('eval')
    .description('Measure accuracy: detection (F1), log parsing (grouping accuracy), alert compression, RCA (AC@k)');
  registerEvalDetectCommand(evalCmd);
  registerEvalLogsCommand(evalCmd);
  registerEvalAlertsCommand(evalCmd);
  registerEvalRcaCommand(evalCmd);
}

import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stderr, so stdout stays free for command output (`--json`). */
export function createLogger(level: string = 'info', name = 'rootgraph'): Logger {
  return pino({ name, level }, pino.destination({ fd: 2, sync: true }));
}

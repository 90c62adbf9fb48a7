import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('config: the time bounds of ingest', () => {
  it("leaves them unset (INPUT_LIMITS' defaults) unless given", () => {
    expect(loadConfig({}).ingest).toMatchObject({ maxFutureMs: undefined, maxPastMs: undefined });
  });

  it('reads ROOTGRAPH_MAX_PAST_MS as milliseconds, with "off" and 0 meaning any age', () => {
    expect(loadConfig({ ROOTGRAPH_MAX_PAST_MS: '3600000' }).ingest.maxPastMs).toBe(3_600_000);
    expect(loadConfig({ ROOTGRAPH_MAX_PAST_MS: 'off' }).ingest.maxPastMs).toBe(0);
    expect(loadConfig({ ROOTGRAPH_MAX_PAST_MS: '0' }).ingest.maxPastMs).toBe(0);
    expect(loadConfig({ ROOTGRAPH_MAX_FUTURE_MS: '60000' }).ingest.maxFutureMs).toBe(60_000);
  });

  it('refuses a value it cannot read, naming the variable', () => {
    expect(() => loadConfig({ ROOTGRAPH_MAX_PAST_MS: '7d' })).toThrow(/ROOTGRAPH_MAX_PAST_MS: .*"off"/);
    expect(() => loadConfig({ ROOTGRAPH_MAX_FUTURE_MS: '0' })).toThrow(/ROOTGRAPH_MAX_FUTURE_MS/);
  });
});

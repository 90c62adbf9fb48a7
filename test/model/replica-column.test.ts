import { describe, expect, it } from 'vitest';
import { replicaColumn, splitReplica } from '../../src/model/replica-column.js';

describe('replica columns (`<metric>@<replica>`)', () => {
  it('splits a replica column and writes it back', () => {
    expect(splitReplica('request_rate@x2k4z')).toEqual({ metric: 'request_rate', replica: 'x2k4z' });
    expect(replicaColumn('request_rate', 'x2k4z')).toBe('request_rate@x2k4z');
  });
  it('a column of the whole entity has no replica', () => {
    expect(splitReplica('cpu_usage')).toEqual({ metric: 'cpu_usage', replica: undefined });
    expect(replicaColumn('cpu_usage', undefined)).toBe('cpu_usage');
  });
});

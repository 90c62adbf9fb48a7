import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/rootgraph.js', import.meta.url));

describe('bin/rootgraph.js', () => {
  it('exits with main’s code from the sources (tsx), and names the problem on stderr', () => {
    const res = spawnSync(process.execPath, [BIN, 'alerts', 'compress', '/'], {
      env: { ...process.env, ROOTGRAPH_CLI: 'tsx' },
      encoding: 'utf8',
    });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('/: is a directory');
  });
});

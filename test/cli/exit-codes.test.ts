import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// 2: the command line is wrong; 1: the command failed while running; 0: it did what was asked.
describe('rootgraph exit codes', () => {
  it('an unknown option is a usage error (2) at the top level and under every level of subcommand', async () => {
    for (const args of [
      ['--bogus'],
      ['demo', '--bogus'],
      ['logs', 'templates', 'x.log', '--bogus'],
      ['eval', 'rca', '--bogus'],
    ]) {
      const run = await runCli(...args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toContain("unknown option '--bogus'");
    }
  });

  it('an unknown command is a usage error (2) and suggests the closest one', async () => {
    const run = await runCli('lgos');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown command 'lgos'");
    expect(run.stderr).toContain('logs');
  });

  it('a missing argument or a bad option value is a usage error (2)', async () => {
    expect((await runCli('logs', 'templates')).code).toBe(2);
    expect((await runCli('demo', '--seed', 'minus-one')).code).toBe(2);
    expect((await runCli('demo', '--fault', 'meteor')).code).toBe(2);
  });

  it('a command group without its subcommand prints its help and exits 2: nothing was done', async () => {
    const run = await runCli('logs');
    expect(run.code).toBe(2);
    expect(run.stderr + run.stdout).toContain('templates');
  });

  it('help and version asked for exit 0', async () => {
    for (const args of [['--help'], ['--version'], ['help', 'logs'], ['logs', '--help'], ['rca', '--help']]) {
      expect((await runCli(...args)).code, args.join(' ')).toBe(0);
    }
  });
});

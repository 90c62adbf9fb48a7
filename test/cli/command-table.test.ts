import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProgram, commandSummaries, COMMANDS, programFromSummaries } from '../../app/cli/main.js';
import { runCli } from './run-cli.js';

// The compiled CLI's top-level --help comes from help lines saved at build time (commands.json), so it
// loads no command module; it must print what the fully loaded program prints.
describe('top-level help without loading the commands', () => {
  it('placeholders built from the saved help lines print the same help as the loaded program', async () => {
    const full = await buildProgram();
    const saved = JSON.parse(JSON.stringify(commandSummaries(full)));
    expect(programFromSummaries(saved).helpInformation()).toBe(full.helpInformation());
    expect(saved.find((c: { name: string }) => c.name === 'cypher')).toMatchObject({
      term: 'cypher [options] <query>',
    });
  });

  it('the lazy table names every command of the full program, in the same order', async () => {
    const full = await buildProgram();
    expect(COMMANDS.map((c) => c.name)).toEqual(full.commands.map((c) => c.name()));
  });

  it('--help from the sources prints the fully loaded help', async () => {
    const full = await buildProgram();
    const run = await runCli('--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(full.helpInformation());
  });

  it('rca --help points to the case format document that the repository holds', async () => {
    const run = await runCli('rca', '--help');
    expect(run.stdout).toContain('docs/case-format.md');
    expect(run.stdout).not.toContain('../shared');
    expect(existsSync(new URL('../../docs/case-format.md', import.meta.url))).toBe(true);
  });
});

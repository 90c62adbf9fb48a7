import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, COMMANDS } from '../../app/cli/main.js';
import { runCli } from './run-cli.js';

// main.ts lists every command's help line so `--help` needs none of their modules; the list must say
// what the modules themselves register.
describe('the lazy command table', () => {
  it('matches the name, arguments and description each command module registers', async () => {
    const help = new Command().createHelp();
    for (const entry of COMMANDS) {
      const program = new Command();
      (await entry.load())(program);
      const registered = program.commands.find((c) => c.name() === entry.name);
      expect(registered, entry.name).toBeDefined();
      const fix = `${entry.name}: update its entry in COMMANDS (app/cli/main.ts) to what the module registers`;
      expect(registered!.description(), fix).toBe(entry.description);
      expect(help.subcommandTerm(registered!), fix).toBe(entry.args ? `${entry.name} ${entry.args}` : entry.name);
    }
  });

  it('lists every command the full program has, in the same order', async () => {
    const full = await buildProgram();
    expect(COMMANDS.map((c) => c.name)).toEqual(full.commands.map((c) => c.name()));
  });

  it('--help prints the same command list as the fully loaded program', async () => {
    const full = await buildProgram();
    const expected = full.helpInformation();
    const run = await runCli('--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(expected);
  });

  it('rca --help points to the case format document that the repository holds', async () => {
    const run = await runCli('rca', '--help');
    expect(run.stdout).toContain('docs/case-format.md');
    expect(run.stdout).not.toContain('../shared');
    expect(existsSync(new URL('../../docs/case-format.md', import.meta.url))).toBe(true);
  });
});

import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('errors name the input and the fix', () => {
  it('alerts compress on a directory says it is a directory and what file it expects (exit 2)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-cli-'));
    const run = await runCli('alerts', 'compress', dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${dir}: is a directory`);
    expect(run.stderr).toContain('Alertmanager webhook payloads');
    expect(run.stderr).not.toContain('EISDIR');
  });

  it('alerts compress on a missing file says so without an errno code (exit 2)', async () => {
    const run = await runCli('alerts', 'compress', '/no/such/alerts.jsonl');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('/no/such/alerts.jsonl: no such file');
    expect(run.stderr).not.toContain('ENOENT');
  });

  it('alerts compress where no line holds an alert fails (exit 2) and shows why, instead of an empty success', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-cli-'));
    const file = join(dir, 'not-alerts.jsonl');
    await writeFile(file, '{"hello":"world"}\nnot json\n');
    const run = await runCli('alerts', 'compress', file, '--json');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no alert could be read (2 rejected');
    expect(run.stdout).toBe('');
  });

  it('sim export names the flag of a fault target the system lacks, and says when it injects no fault', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-cli-'));
    const bad = await runCli('sim', 'export', '--fault', 'cpu-hog', '--target', 'nosuch', '--out', join(dir, 'a'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--target: no service or pod named "nosuch" in online-boutique');
    const clean = await runCli('sim', 'export', '--duration-s', '3600', '--out', join(dir, 'b'));
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('no fault injected');
  });

  it.each([
    [['--targets-per-fault', '1.5'], '--targets-per-fault: expected a whole number ≥ 1, got "1.5"'],
    [['--seeds', '1,x'], '--seeds: expected a number, got "x"'],
    [['--seeds', '1,1.5'], '--seeds: expected a whole number, got "1.5"'],
    [['--targets-per-fault', '0'], '--targets-per-fault: expected a whole number ≥ 1, got "0"'],
    [['--noise', ''], '--noise: expected a number, got ""'],
    [['--noise', '1000'], '--noise: expected a number from 0 to 20, got "1000"'],
    [['--severity', '0'], '--severity: expected a number above 0, got "0"'],
  ])('sim export-suite %j is rejected before any case is written (exit 2)', async (flags, message) => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-cli-'));
    const run = await runCli('sim', 'export-suite', '--out', join(dir, 'suite'), ...flags);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(existsSync(join(dir, 'suite'))).toBe(false);
  });

  it('rca on a folder that does not exist says so (exit 2)', async () => {
    const run = await runCli('rca', '--case', '/no/such/case');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('/no/such/case: no such file or folder');
  });

  it('logs templates on a directory says it is a directory (exit 2)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-cli-'));
    const run = await runCli('logs', 'templates', dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${dir}: is a directory`);
    expect(run.stderr).not.toContain('EISDIR');
  });

  it('logs templates on an empty file fails (exit 2): nothing was mined', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-cli-'));
    const file = join(dir, 'empty.log');
    await writeFile(file, '');
    const run = await runCli('logs', 'templates', file);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}: is empty`);
  });

  it('demo --target with an unknown service fails before injecting anything and lists the valid targets', async () => {
    const run = await runCli('demo', '--target', 'nosuchsvc', '--no-chat', '--seed', '1');
    expect(run.code).toBe(2);
    expect(run.stdout).not.toContain('injecting');
    expect(run.stderr).toContain("argument 'nosuchsvc' is invalid");
    expect(run.stderr).toContain('cartservice');
    expect(run.stderr).toContain('frontend');
  });
});

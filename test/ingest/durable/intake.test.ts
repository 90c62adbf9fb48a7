import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Intake } from '../../../src/ingest/durable/intake.js';

/** A consumer whose state is the running sum and the inputs in the order applied. */
function summer() {
  const state = { sum: 0, seen: [] as number[] };
  return {
    state,
    consumer: {
      decode: (n: number) => n,
      apply: (n: number) => {
        if (n < 0) throw new Error(`negative input ${n}`);
        state.sum += n;
        state.seen.push(n);
        return state.sum;
      },
      snapshot: () => ({ sum: state.sum, seen: [...state.seen] }),
      restore: (s: { sum: number; seen: number[] }) => Object.assign(state, { sum: s.sum, seen: [...s.seen] }),
    },
  };
}

const tempDir = () => mkdtemp(join(tmpdir(), 'rg-intake-'));

describe('Intake', () => {
  it('applies inputs in the order they were accepted and answers each with its own result', async () => {
    const intake = Intake.open(await tempDir());
    const s = summer();
    const accept = intake.channel('n', s.consumer);
    intake.recover();
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => accept(n)));
    expect(results).toEqual([1, 3, 6, 10, 15]);
    expect(s.state.seen).toEqual([1, 2, 3, 4, 5]);
    await intake.close();
  });

  it('after a restart, restores the checkpoint and re-applies only what came after it', async () => {
    const dir = await tempDir();
    const first = Intake.open(dir);
    const a = summer();
    const acceptA = first.channel('n', a.consumer);
    first.recover();
    for (const n of [1, 2, 3]) await acceptA(n);
    expect(await first.checkpoint()).toEqual({ seq: 3, dropped: 3 });
    for (const n of [10, 20]) await acceptA(n);
    await first.close(); // no checkpoint: as after a crash

    const second = Intake.open(dir);
    const b = summer();
    const acceptB = second.channel('n', b.consumer);
    const report = second.recover();
    expect(report).toMatchObject({ checkpointSeq: 3, restored: ['n'], replayed: 2, skipped: [] });
    expect(b.state).toEqual({ sum: 36, seen: [1, 2, 3, 10, 20] });
    expect(await acceptB(4)).toBe(40);
    await second.close();

    const third = Intake.open(dir);
    const c = summer();
    third.channel('n', c.consumer);
    expect(third.recover().replayed).toBe(3);
    expect(c.state.sum).toBe(40);
    await third.close();
  });

  it('rejects an input its consumer throws on, keeps going, and reports it when re-applied after a restart', async () => {
    const dir = await tempDir();
    const first = Intake.open(dir);
    const s = summer();
    const accept = first.channel('n', s.consumer);
    first.recover();
    await expect(accept(-1)).rejects.toThrow('negative input -1');
    expect(await accept(5)).toBe(5);
    await first.close();
    const second = Intake.open(dir);
    second.channel('n', summer().consumer);
    const report = second.recover();
    expect(report.replayed).toBe(1);
    expect(report.skipped).toEqual([{ what: 'input 1 (n)', reason: 'negative input -1' }]);
    await second.close();
  });

  it('keeps channels apart and refuses a channel registered after recovery', async () => {
    const intake = Intake.open(await tempDir());
    const a = summer();
    const b = summer();
    const acceptA = intake.channel('a', a.consumer);
    const acceptB = intake.channel('b', b.consumer);
    intake.recover();
    await Promise.all([acceptA(1), acceptB(100), acceptA(2)]);
    expect([a.state.sum, b.state.sum]).toEqual([3, 100]);
    expect(() => intake.channel('c', summer().consumer)).toThrow('after recovery');
    await intake.close();
  });

  it('without a folder applies at once and keeps nothing', async () => {
    const intake = Intake.volatile();
    const s = summer();
    const accept = intake.channel('n', s.consumer);
    intake.recover();
    expect(await accept(7)).toBe(7);
    expect(await intake.checkpoint()).toEqual({ seq: 0, dropped: 0 });
  });
});

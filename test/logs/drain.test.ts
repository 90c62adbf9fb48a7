import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { TemplateMiner } from '../../src/logs/drain.js';

describe('TemplateMiner', () => {
  it('groups messages that differ in variables and names the template', () => {
    const m = new TemplateMiner();
    const a = m.add('PacketResponder 1 for block blk_38865049064139660 terminating');
    const b = m.add('PacketResponder 0 for block blk_-6952295868487656571 terminating');
    expect(a.change).toBe('created');
    expect(b.cluster.id).toBe(a.cluster.id);
    expect(b.cluster.template).toBe('PacketResponder <*> for block blk_<*> terminating');
    expect(b.cluster.size).toBe(2);
  });

  it('merges an unmasked variable into <*> and reports the update', () => {
    const m = new TemplateMiner();
    m.add('Changing view acls to: yarn,curi');
    const r = m.add('Changing view acls to: root,admin');
    expect(r.change).toBe('updated');
    expect(r.cluster.template).toBe('Changing view acls to: <*>');
  });

  it('keeps different events apart, also when they differ by one plain word', () => {
    const m = new TemplateMiner();
    const paused = m.add('[instance: 1a2b] VM Paused (Lifecycle Event)').cluster.id;
    const started = m.add('[instance: 3c4d] VM Started (Lifecycle Event)').cluster.id;
    const other = m.add('Took 3.2 seconds to build instance.').cluster.id;
    expect(new Set([paused, started, other]).size).toBe(3);
    expect(m.match('[instance: 9f] VM Started (Lifecycle Event)')?.id).toBe(started);
  });

  it('a word position with many values becomes a variable, and the groups it kept apart merge', () => {
    const m = new TemplateMiner();
    const names = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];
    const ids = names.map((u) => m.add(`session opened for user ${u}`).cluster.id);
    const k = m.options.wordVariableAfter;
    // Until k names were seen, each was its own event; then they are one, under the oldest id.
    expect(new Set(ids.slice(0, k - 1)).size).toBe(k - 1);
    expect(new Set(ids.slice(k - 1))).toEqual(new Set([ids[0]]));
    expect(new Set(ids.map((id) => m.resolve(id)))).toEqual(new Set([ids[0]]));
    expect(m.size).toBe(1);
    expect(m.clusters()[0]).toMatchObject({ size: names.length, template: 'session opened for user <*>' });
    expect(m.match('session opened for user zoe')?.template).toBe('session opened for user <*>');
  });

  it('keeps a closed set of words apart: state pairs and lifecycle words are events', () => {
    const m = new TemplateMiner();
    const pairs = [
      ['NEW', 'SCHEDULED'],
      ['SCHEDULED', 'RUNNING'],
      ['RUNNING', 'SUCCEEDED'],
      ['RUNNING', 'FAILED'],
      ['FAILED', 'RETRYING'],
      ['RETRYING', 'SCHEDULED'],
    ];
    for (let i = 0; i < 5; i++) for (const [a, b] of pairs) m.add(`task_${i}_7 Transitioned from ${a} to ${b}`);
    expect(m.size).toBe(pairs.length);
  });

  it('merges a word into a variable when the same place holds a masked value in another message', () => {
    const m = new TemplateMiner();
    const a = m.add('wpad:80 error : Could not connect to proxy').cluster.id;
    const b = m.add('10.0.0.7:80 error : Could not connect to proxy').cluster.id;
    expect(m.resolve(a)).toBe(m.resolve(b));
    expect(m.size).toBe(1);
  });

  it('two kinds of id, or two dotted names, at one place are values of one variable at once', () => {
    const m = new TemplateMiner();
    m.add('Block rdd_2_3 stored as bytes in memory');
    m.add('Block broadcast_9_piece0 stored as bytes in memory');
    m.add('Registering class org.a.EventType for class org.a.Handler');
    m.add('Registering class org.b.TaskType for class org.b.Dispatcher');
    expect(m.clusters().map((c) => c.template)).toEqual([
      'Block <*> stored as bytes in memory',
      'Registering class <*> for class <*>',
    ]);
  });

  it("groups kept apart by words later seen as a variable's values are judged again and merge", () => {
    const m = new TemplateMiner();
    m.add('session closed for user root');
    m.add('session closed for user cyrus');
    expect(m.size).toBe(2);
    for (const u of ['root', 'cyrus', 'guest', 'oracle', 'test']) m.add(`Invalid user ${u} from 10.0.0.1`);
    expect(m.clusters().map((c) => c.template)).toEqual(['session closed for user <*>', 'Invalid user <*> from <*>']);
  });

  it('a word seen as a variable elsewhere is a variable here too, with few values', () => {
    const m = new TemplateMiner();
    for (const u of ['root', 'admin', 'guest', 'oracle', 'test', 'deploy']) m.add(`Invalid user ${u} from 10.0.0.1`);
    m.add('Accepted publickey for deploy from 10.0.0.2');
    m.add('Accepted publickey for root from 10.0.0.3');
    expect(m.clusters().map((c) => c.template)).toEqual([
      'Invalid user <*> from <*>',
      'Accepted publickey for <*> from <*>',
    ]);
  });

  it('match() does not learn', () => {
    const m = new TemplateMiner();
    m.add('disk full on node 7');
    expect(m.match('cache cold on rack 2')).toBeUndefined();
    expect(m.size).toBe(1);
  });

  it('evicts the least recently used cluster beyond maxClusters', () => {
    const m = new TemplateMiner({ maxClusters: 2 });
    const a = m.add('alpha happened').cluster.id;
    m.add('beta happened twice over');
    m.add('alpha happened'); // touch a, so beta is the oldest
    m.add('gamma is a third kind of event here');
    expect(m.size).toBe(2);
    expect(m.clusters().map((c) => c.id)).toContain(a);
    expect(m.match('beta happened twice over')).toBeUndefined();
  });

  it('snapshot → JSON → restore continues with the same ids and templates (property)', () => {
    const word = fc.constantFrom('open', 'close', 'read', 'write', 'fail', 'retry', 'node', 'disk');
    const msg = fc
      .array(fc.oneof(word, fc.nat(999).map(String)), { minLength: 1, maxLength: 6 })
      .map((p) => p.join(' '));
    fc.assert(
      fc.property(
        fc.array(msg, { maxLength: 40 }),
        fc.array(msg, { maxLength: 40 }),
        fc.integer({ min: 2, max: 8 }),
        (first, rest, cap) => {
          const whole = new TemplateMiner({ maxClusters: cap });
          const part = new TemplateMiner({ maxClusters: cap });
          for (const s of first) {
            whole.add(s);
            part.add(s);
          }
          const resumed = TemplateMiner.restore(JSON.parse(JSON.stringify(part.snapshot())));
          for (const s of rest) expect(resumed.add(s).cluster.id).toBe(whole.add(s).cluster.id);
          expect(resumed.snapshot()).toEqual(whole.snapshot());
        },
      ),
    );
  });

  it('restore rejects malformed state with an InputError', () => {
    const m = new TemplateMiner();
    m.add('disk 3 full');
    const snap = m.snapshot();
    expect(() => TemplateMiner.restore({ ...snap, version: 1 })).toThrow(InputError);
    const badGaps = { ...snap, groups: [{ ...snap.groups[0], gaps: [0] }] };
    expect(() => TemplateMiner.restore(badGaps)).toThrow(/gaps/);
    const badRoot = { ...snap, groups: [{ ...snap.groups[0], root: 9 }] };
    expect(() => TemplateMiner.restore(badRoot)).toThrow(/root/);
  });

  it('is deterministic: the same input gives the same snapshot (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 30 }), { maxLength: 30 }), (lines) => {
        const a = new TemplateMiner();
        const b = new TemplateMiner();
        for (const l of lines) {
          a.add(l);
          b.add(l);
        }
        expect(a.snapshot()).toEqual(b.snapshot());
      }),
    );
  });
});

describe('TemplateMiner at scale', () => {
  it('a stream of never-repeating messages stays bounded and fast (leaf postings, LRU eviction)', () => {
    let x = 7;
    const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648), x / 2147483648);
    const letters = (i: number): string =>
      (i < 26 ? '' : letters(Math.floor(i / 26) - 1)) + String.fromCharCode(97 + (i % 26));
    const vocab = Array.from({ length: 3000 }, (_, i) => `q${letters(i)}`);
    const m = new TemplateMiner({ maxClusters: 2000 });
    const t0 = Date.now();
    for (let i = 0; i < 20_000; i++)
      m.add(Array.from({ length: 5 }, () => vocab[Math.floor(rnd() * vocab.length)]).join(' '));
    expect(m.size).toBeLessThanOrEqual(2000);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});

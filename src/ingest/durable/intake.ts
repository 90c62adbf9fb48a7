/**
 * Acknowledged means kept, for the state that lives between the wire and the graph: spans of traces
 * still open, log-miner and trace-aggregator statistics, the metric normaliser's previous points.
 * Every accepted input is appended to a journal (LMDB, group commit) before it is applied and before
 * the request is answered; a checkpoint stores each consumer's state with the sequence number it
 * holds, and a restart restores the checkpoint and re-applies what came after it. Consumers emit
 * absolute values to the graph, so re-applying inputs whose effect already reached the graph is harmless.
 */
import { mkdirSync } from 'node:fs';
import { open, type Database, type RootDatabase } from 'lmdb';

/**
 * In-memory state fed by accepted inputs; `apply` must be deterministic given the state and the input.
 * The journal keeps `J` (e.g. a request's raw bytes: cheap to store), `decode` turns it back into the
 * input `I` when it is re-applied after a restart.
 */
export interface IntakeConsumer<J, I, R, S> {
  decode(journaled: J): I;
  apply(input: I): R;
  /** Plain data (LMDB stores it with msgpack): what `restore` needs to continue. */
  snapshot(): S;
  restore(state: S): void;
}

/**
 * Accepts one input on a channel: resolves with the consumer's result once the input is durable and
 * applied. The caller passes the decoded input when it has it already (else it is decoded from `journaled`).
 */
export type Accept<J, I, R> = (journaled: J, input?: I) => Promise<R>;

/** A consumer whose journaled form is its input. */
export const asJournaled = <I>(input: I): I => input;

interface Checkpoint {
  v: 1;
  seq: number;
  at: number;
  states: Record<string, unknown>;
}

interface Entry {
  c: string;
  i: unknown;
}

interface Waiting {
  run: () => unknown;
  resolve: (r: unknown) => void;
  reject: (e: unknown) => void;
}

/** What recovery did, for the start-up log. */
export interface RecoveryReport {
  checkpointSeq: number;
  restored: string[];
  replayed: number;
  /** Inputs or states that could not be applied (a bug or an incompatible upgrade), with why. */
  skipped: Array<{ what: string; reason: string }>;
}

const CHECKPOINT = 'checkpoint';

/** The journal and checkpoints of one ingest process (`<dataDir>/intake`), or a volatile stand-in without a folder. */
export class Intake {
  private readonly channels = new Map<string, IntakeConsumer<unknown, unknown, unknown, unknown>>();
  private last = 0;
  private applied = 0;
  private readonly committed = new Set<number>();
  private readonly waiting = new Map<number, Waiting>();
  private recovered = false;

  private constructor(
    private readonly root?: RootDatabase,
    private readonly inputs?: Database<Entry, number>,
    private readonly state?: Database<Checkpoint, string>,
  ) {}

  /** A durable intake in `dir/intake`. */
  static open(dir: string): Intake {
    mkdirSync(`${dir}/intake`, { recursive: true });
    // noSync: a commit is in the OS's hands before it is acknowledged, which survives a crash of this
    // process (SIGKILL, OOM); only a power loss or kernel crash can take the last moments.
    const root = open({ path: `${dir}/intake`, compression: false, noSync: true });
    return new Intake(
      root,
      root.openDB<Entry, number>({ name: 'inputs' }),
      root.openDB<Checkpoint, string>({ name: 'state' }),
    );
  }

  /** No journal: inputs are applied at once and lost with the process (tests, one-shot commands). */
  static volatile(): Intake {
    return new Intake();
  }

  get durable(): boolean {
    return this.root !== undefined;
  }

  /** Named LMDB databases beside the journal (the metric buffer keeps its samples there). */
  openDB<V, K extends string | number | Array<string | number>>(name: string): Database<V, K> | undefined {
    return this.root?.openDB<V, K>({ name });
  }

  /** Registers a consumer under `name` (before `recover`) and returns how inputs reach it. */
  channel<J, I, R, S>(name: string, consumer: IntakeConsumer<J, I, R, S>): Accept<J, I, R> {
    if (this.channels.has(name)) throw new Error(`intake channel ${name} registered twice`);
    if (this.recovered) throw new Error(`intake channel ${name} registered after recovery`);
    this.channels.set(name, consumer as IntakeConsumer<unknown, unknown, unknown, unknown>);
    const inputOf = (journaled: J, input?: I): I => (input === undefined ? consumer.decode(journaled) : input);
    if (!this.inputs) return async (journaled, input) => consumer.apply(inputOf(journaled, input));
    const inputs = this.inputs;
    return (journaled, input) =>
      new Promise<R>((resolve, reject) => {
        const seq = ++this.last;
        const run = () => consumer.apply(inputOf(journaled, input));
        this.waiting.set(seq, { run, resolve: resolve as (r: unknown) => void, reject });
        inputs.put(seq, { c: name, i: journaled }).then(
          () => this.commit(seq, true),
          (err: unknown) => {
            reject(err);
            this.commit(seq, false);
          },
        );
      });
  }

  /** Applies committed inputs strictly in sequence order, so a checkpoint's sequence number means "all before". */
  private commit(seq: number, ok: boolean): void {
    if (!ok) this.waiting.delete(seq);
    this.committed.add(seq);
    while (this.committed.delete(this.applied + 1)) {
      const w = this.waiting.get(++this.applied);
      if (!w) continue;
      this.waiting.delete(this.applied);
      try {
        w.resolve(w.run());
      } catch (err) {
        w.reject(err);
      }
    }
  }

  /**
   * Restores every channel's checkpointed state and re-applies the inputs journaled after it. Call once,
   * after every channel is registered and before the first input.
   */
  recover(): RecoveryReport {
    this.recovered = true;
    const report: RecoveryReport = { checkpointSeq: 0, restored: [], replayed: 0, skipped: [] };
    if (!this.inputs || !this.state) return report;
    const cp = this.state.get(CHECKPOINT);
    if (cp) {
      report.checkpointSeq = cp.seq;
      for (const [name, s] of Object.entries(cp.states)) {
        const consumer = this.channels.get(name);
        if (!consumer) continue;
        try {
          consumer.restore(s);
          report.restored.push(name);
        } catch (err) {
          report.skipped.push({ what: `state of ${name}`, reason: (err as Error).message });
        }
      }
    }
    for (const { key, value } of this.inputs.getRange({ start: report.checkpointSeq + 1 })) {
      this.last = key as number;
      const consumer = this.channels.get(value.c);
      if (!consumer) {
        report.skipped.push({ what: `input ${String(key)}`, reason: `no channel ${value.c} in this process` });
        continue;
      }
      try {
        consumer.apply(consumer.decode(value.i));
        report.replayed++;
      } catch (err) {
        report.skipped.push({ what: `input ${String(key)} (${value.c})`, reason: (err as Error).message });
      }
    }
    this.last = Math.max(this.last, report.checkpointSeq);
    this.applied = this.last;
    return report;
  }

  /**
   * Stores every channel's state with the sequence number it holds, then drops the inputs it covers.
   * Take it when the graph holds what the consumers emitted so far (inside the ingest writer).
   */
  async checkpoint(now = Date.now()): Promise<{ seq: number; dropped: number }> {
    if (!this.inputs || !this.state) return { seq: 0, dropped: 0 };
    const states: Record<string, unknown> = {};
    // Synchronous: no input is applied between the snapshots and reading `applied`.
    for (const [name, consumer] of this.channels) states[name] = consumer.snapshot();
    const seq = this.applied;
    await this.state.put(CHECKPOINT, { v: 1, seq, at: now, states });
    const inputs = this.inputs;
    let dropped = 0;
    await inputs.transaction(() => {
      for (const key of inputs.getKeys({ end: seq + 1 })) {
        void inputs.remove(key as number);
        dropped++;
      }
    });
    return { seq, dropped };
  }

  async close(): Promise<void> {
    if (!this.root) return;
    await this.root.flushed;
    await this.root.close();
  }
}

import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Argon2Engine } from "./argon2-go";
import { HASH_WORKER_SOURCE } from "./worker-source";

export type HashTask =
  | { op: "bcrypt-hash"; password: string; cost: number }
  | { op: "bcrypt-verify"; password: string; hash: string }
  | {
      op: "argon2-hash";
      password: string;
      memoryKiB: number;
      iterations: number;
      parallelism: number;
      saltLength: number;
      keyLength: number;
    }
  | {
      op: "argon2-derive";
      variant: "argon2id" | "argon2i";
      engine: Argon2Engine;
      password: string;
      salt: Uint8Array;
      memoryKiB: number;
      iterations: number;
      parallelism: number;
      hashLength: number;
    };

/** Hashes (PHC/bcrypt strings) and derived keys (hex) are strings; verifications are booleans. */
type TaskResult<T extends HashTask> = T["op"] extends "bcrypt-hash" | "argon2-hash" | "argon2-derive" ? string : boolean;

interface Pending {
  resolve: (value: string | boolean) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: number;
  /** Stops the worker once it has been idle this long (IDLE_WORKER_MS). */
  idleTimer?: NodeJS.Timeout;
}

interface WorkerReply {
  id: number;
  ok: boolean;
  result?: string | boolean;
  error?: string;
}

const require = createRequire(import.meta.url);

/**
 * How long a hash worker may sit idle before it is stopped. Each worker is a
 * V8 isolate of ~5 MB; a dev stack runs two Kratos, so idle workers were a
 * tenth of its memory while nobody signed in.
 */
const IDLE_WORKER_MS = 60_000;

/**
 * Up to `size` worker threads, so password hashing never blocks the event
 * loop. A worker starts when a task finds every running one busy and stops
 * after IDLE_WORKER_MS without work.
 */
export class HashWorkerPool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly workerData = {
    bcryptPath: require.resolve("bcryptjs"),
    hashWasmPath: require.resolve("hash-wasm"),
    // Loaded by the worker with Node's type stripping: the module imports nothing.
    argon2PortableUrl: new URL("./argon2-portable.ts", import.meta.url).href,
  };
  private nextId = 1;
  private closed = false;

  constructor(
    readonly size = Math.max(1, availableParallelism()),
    private readonly idleMs = IDLE_WORKER_MS,
  ) {}

  /** Workers running now (at most `size`). */
  get running(): number {
    return this.slots.length;
  }

  run<T extends HashTask>(task: T): Promise<TaskResult<T>> {
    if (this.closed) return Promise.reject(new Error("the hash worker pool is closed"));
    const least = this.slots.reduce<Slot | undefined>((a, b) => (a === undefined || b.busy < a.busy ? b : a), undefined);
    const slot = least && (least.busy === 0 || this.slots.length >= this.size) ? least : this.spawn();
    clearTimeout(slot.idleTimer);
    const id = this.nextId++;
    slot.busy++;
    return new Promise<TaskResult<T>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: string | boolean) => void, reject });
      slot.worker.postMessage({ ...task, id });
    });
  }

  private spawn(): Slot {
    const worker = new Worker(HASH_WORKER_SOURCE, { eval: true, workerData: this.workerData });
    worker.unref();
    const slot: Slot = { worker, busy: 0 };
    worker.on("message", (reply: WorkerReply) => this.settle(slot, reply));
    // A worker reports whatever its code threw; the waiting callers are rejected with an Error.
    worker.on("error", (error: unknown) => this.failAll(error instanceof Error ? error : new Error(String(error))));
    this.slots.push(slot);
    return slot;
  }

  private retireWhenIdle(slot: Slot): void {
    clearTimeout(slot.idleTimer);
    slot.idleTimer = setTimeout(() => {
      if (slot.busy > 0) return;
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      void slot.worker.terminate();
    }, this.idleMs);
    slot.idleTimer.unref();
  }

  private settle(slot: Slot, reply: WorkerReply): void {
    slot.busy--;
    if (slot.busy === 0) this.retireWhenIdle(slot);
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (reply.ok && reply.result !== undefined) pending.resolve(reply.result);
    else pending.reject(new Error(reply.error ?? "hashing failed"));
  }

  private failAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    for (const slot of slots) clearTimeout(slot.idleTimer);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}

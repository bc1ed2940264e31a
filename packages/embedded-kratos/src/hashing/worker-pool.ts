import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { HASH_WORKER_SOURCE } from "./worker-source";

export type HashTask =
  | { op: "bcrypt-hash"; password: string; cost: number }
  | { op: "bcrypt-verify"; password: string; hash: string }
  | { op: "argon2-hash"; password: string; memoryKiB: number; iterations: number; parallelism: number; saltLength: number; keyLength: number }
  | { op: "argon2-verify"; password: string; hash: string };

type TaskResult<T extends HashTask> = T["op"] extends "bcrypt-hash" | "argon2-hash" ? string : boolean;

interface Pending {
  resolve: (value: string | boolean) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: number;
}

interface WorkerReply {
  id: number;
  ok: boolean;
  result?: string | boolean;
  error?: string;
}

const require = createRequire(import.meta.url);

/** A fixed pool of worker threads so password hashing never blocks the event loop. */
export class HashWorkerPool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(size = Math.max(1, availableParallelism())) {
    const workerData = { bcryptPath: require.resolve("bcryptjs"), hashWasmPath: require.resolve("hash-wasm") };
    for (let i = 0; i < size; i++) {
      const worker = new Worker(HASH_WORKER_SOURCE, { eval: true, workerData });
      worker.unref();
      worker.on("message", (reply: WorkerReply) => this.settle(slot, reply));
      worker.on("error", (error) => this.failAll(error));
      const slot: Slot = { worker, busy: 0 };
      this.slots.push(slot);
    }
  }

  get size(): number {
    return this.slots.length;
  }

  run<T extends HashTask>(task: T): Promise<TaskResult<T>> {
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    slot.busy++;
    return new Promise<TaskResult<T>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: string | boolean) => void, reject });
      slot.worker.postMessage({ ...task, id });
    });
  }

  private settle(slot: Slot, reply: WorkerReply): void {
    slot.busy--;
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
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

import type { KratosConfig } from "../config/load";
import { comparePassword, type HashPrimitives } from "./comparator";
import { HashWorkerPool } from "./worker-pool";

/** Password hashing as configured by `hashers.*`; verification understands every format Kratos' comparator does. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  /**
   * Whether the configured hasher makes hashes of this algorithm (Kratos'
   * Hasher.Understands). Only a hash it does not understand is re-hashed
   * at login: a hash of the same algorithm made with other parameters
   * (bcrypt cost, argon2 memory) is kept, as in Kratos.
   */
  understands(hash: string): boolean;
  close(): Promise<void>;
}

interface Argon2Params {
  memoryKiB: number;
  iterations: number;
  parallelism: number;
  saltLength: number;
  keyLength: number;
}

export class WorkerPasswordHasher implements PasswordHasher {
  private readonly pool: HashWorkerPool;
  private readonly argon2: Argon2Params;

  constructor(
    private readonly config: KratosConfig["hashers"],
    poolSize?: number,
  ) {
    this.pool = new HashWorkerPool(poolSize);
    const a = config.argon2;
    this.argon2 = {
      memoryKiB: parseMemoryKiB(a?.memory ?? "128MB"),
      iterations: a?.iterations ?? 1,
      parallelism: a?.parallelism ?? 2,
      saltLength: a?.salt_length ?? 16,
      keyLength: a?.key_length ?? 32,
    };
  }

  get workers(): number {
    return this.pool.size;
  }

  hash(password: string): Promise<string> {
    if (this.config.algorithm === "argon2") return this.pool.run({ op: "argon2-hash", password, ...this.argon2 });
    return this.pool.run({ op: "bcrypt-hash", password, cost: this.config.bcrypt.cost });
  }

  verify(password: string, hash: string): Promise<boolean> {
    return comparePassword(password, hash, this.primitives);
  }

  /** hash/hasher_bcrypt.go and hasher_argon2.go, Understands: the algorithm's prefix only. */
  understands(hash: string): boolean {
    return this.config.algorithm === "argon2" ? /^\$argon2id\$/.test(hash) : /^\$2[abzy]?\$/.test(hash);
  }

  private readonly primitives: HashPrimitives = {
    bcryptCompare: (password, hash) => this.pool.run({ op: "bcrypt-verify", password, hash }),
    argon2: async (variant, password, salt, params, engine) =>
      Buffer.from(await this.pool.run({ op: "argon2-derive", variant, password, salt, engine, ...params }), "hex"),
  };

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Kratos writes argon2 memory as a byte size ("128MB"); bare numbers are KiB. */
export function parseMemoryKiB(value: number | string): number {
  if (typeof value === "number") return value;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)?\s*$/i.exec(value);
  if (!m) throw new Error(`hashers.argon2.memory: cannot parse "${value}" (use e.g. 128MB)`);
  const n = Number(m[1]);
  const unit = (m[2] ?? "KB").toLowerCase();
  const bytes = unit === "b" ? n : unit.startsWith("k") ? n * 1024 : unit.startsWith("m") ? n * 1024 ** 2 : n * 1024 ** 3;
  return Math.round(bytes / 1024);
}

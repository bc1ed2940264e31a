import type { KratosConfig } from "../config/load";
import { HashWorkerPool } from "./worker-pool";

/** Password hashing as configured by `hashers.*`; verification understands every supported format. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  /** True when `hash` was made with other parameters than the configured ones (upgrade on next login). */
  needsRehash(hash: string): boolean;
  close(): Promise<void>;
}

/** Hash formats accepted when importing identities (`hashed_password`). */
export function isSupportedHash(hash: string): boolean {
  return /^\$2[abxy]\$\d{2}\$[./A-Za-z0-9]{53}$/.test(hash) || /^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/.test(hash);
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

  async verify(password: string, hash: string): Promise<boolean> {
    if (hash.startsWith("$2")) return this.pool.run({ op: "bcrypt-verify", password, hash });
    if (hash.startsWith("$argon2id$")) return this.pool.run({ op: "argon2-verify", password, hash });
    return false;
  }

  needsRehash(hash: string): boolean {
    if (this.config.algorithm === "bcrypt") {
      const cost = /^\$2[abxy]\$(\d{2})\$/.exec(hash)?.[1];
      return cost === undefined || Number(cost) !== this.config.bcrypt.cost;
    }
    const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(hash);
    return !m || Number(m[1]) !== this.argon2.memoryKiB || Number(m[2]) !== this.argon2.iterations || Number(m[3]) !== this.argon2.parallelism;
  }

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

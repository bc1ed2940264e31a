/**
 * Source of the hashing worker, run with `new Worker(source, { eval: true })`
 * so it works the same under tsx, vitest and plain Node without a build step.
 * It only ever receives passwords over the worker's message port.
 */
export const HASH_WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const bcrypt = require(workerData.bcryptPath);
const hashWasm = require(workerData.hashWasmPath);
const { randomBytes } = require("node:crypto");

// The portable argon2 (argon2-portable.ts), imported on first use only.
let portableArgon2;

async function run(task) {
  switch (task.op) {
    case "bcrypt-hash":
      // Go's bcrypt (Kratos) writes the $2a$ version; bcryptjs the identical $2b$ one.
      return bcrypt.hashSync(task.password, task.cost).replace(/^\\$2b\\$/, "$2a$");
    case "bcrypt-verify":
      return bcrypt.compareSync(task.password, task.hash);
    case "argon2-hash":
      return hashWasm.argon2id({
        password: task.password,
        salt: randomBytes(task.saltLength),
        parallelism: task.parallelism,
        iterations: task.iterations,
        memorySize: task.memoryKiB,
        hashLength: task.keyLength,
        outputType: "encoded",
      });
    case "argon2-derive":
      if (task.engine === "portable") {
        portableArgon2 ??= import(workerData.argon2PortableUrl);
        const { argon2 } = await portableArgon2;
        const key = argon2({
          type: task.variant,
          password: Buffer.from(task.password, "utf8"),
          salt: task.salt,
          iterations: task.iterations,
          memoryKiB: task.memoryKiB,
          parallelism: task.parallelism,
          tagLength: task.hashLength,
        });
        return Buffer.from(key).toString("hex");
      }
      return hashWasm[task.variant]({
        password: task.password,
        salt: task.salt,
        parallelism: task.parallelism,
        iterations: task.iterations,
        memorySize: task.memoryKiB,
        hashLength: task.hashLength,
        outputType: "hex",
      });
    default:
      throw new Error("unknown hashing operation");
  }
}

parentPort.on("message", (task) => {
  run(task).then(
    (result) => parentPort.postMessage({ id: task.id, ok: true, result }),
    (error) => parentPort.postMessage({ id: task.id, ok: false, error: String(error && error.message || error) }),
  );
});
`;

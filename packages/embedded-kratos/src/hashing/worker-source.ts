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

async function run(task) {
  switch (task.op) {
    case "bcrypt-hash":
      return bcrypt.hashSync(task.password, task.cost);
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
    case "argon2-verify":
      return hashWasm.argon2Verify({ password: task.password, hash: task.hash });
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

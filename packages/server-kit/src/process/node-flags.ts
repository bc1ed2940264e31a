/**
 * The module that collects garbage once a process has been idle (see idle-gc.mjs), as a URL for `node --import`.
 * Every process that preloads it also needs `--expose-gc`.
 */
export const IDLE_GC_MODULE = new URL("./idle-gc.mjs", import.meta.url).href;

/**
 * The V8 options of the process that hosts the embedded Kratos and Hydra in development (packages/devstack's
 * `dev` script; the tenancy supervisor and the embedded Kratos bench run with them too): one V8 helper thread, a young
 * generation V8 may grow to 16 MB under load, and `--expose-gc` for the idle collection. Not --optimize-for-size:
 * it pins the young generation at 1 MB, so under load every request in flight is promoted and old-space
 * collections follow each other — whoami's latency tail.
 */
export const SERVER_V8_FLAGS: readonly string[] = ["--max-semi-space-size=16", "--v8-pool-size=1", "--expose-gc"];

/** Everything `node` takes before the entry point of such a process: the V8 options and the idle collection. */
export const SERVER_NODE_FLAGS: readonly string[] = [...SERVER_V8_FLAGS, "--import", IDLE_GC_MODULE];

/**
 * The module that collects garbage once a process has been idle (see idle-gc.mjs), as a URL for `node --import`.
 * Every process that preloads it also needs `--expose-gc`.
 */
export const IDLE_GC_MODULE = new URL("./idle-gc.mjs", import.meta.url).href;

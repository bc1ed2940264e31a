// Preloaded (`node --expose-gc --import`) into an embedded tenant's app processes: once the process has served
// no request for IDLE_MS, one full garbage collection, so an idle tenant returns the pages its last requests
// left to the system instead of holding them until its next burst. V8 starts no such collection by itself
// when allocation stops. Plain JavaScript: Node loads it before the app, without a TypeScript loader.
import { subscribe } from "node:diagnostics_channel";

const IDLE_MS = Number(process.env.OLYMPUS_IDLE_GC_MS || 10000);
let lastRequest = Date.now();
let collected = false;

subscribe("http.server.request.start", () => {
  lastRequest = Date.now();
  collected = false;
});

if (typeof globalThis.gc === "function") {
  setInterval(
    () => {
      if (collected || Date.now() - lastRequest < IDLE_MS) return;
      collected = true;
      globalThis.gc();
    },
    Math.max(1000, IDLE_MS / 4),
  ).unref();
}

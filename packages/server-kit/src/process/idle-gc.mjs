// Preloaded (`node --expose-gc --import`) into the long-lived processes of the embedded stack — the dev stack's
// backend, an embedded tenant's supervisor and its app processes: once the process has served no request for
// IDLE_MS, one last-resort collection, so an idle process returns the pages its last requests left to the system
// instead of holding them until its next burst. V8 starts no such collection by itself when allocation stops, and
// only a last-resort one also shrinks the young generation back (the backend lets it grow to 16 MB under load,
// which is what keeps whoami's latency tail short). Plain JavaScript: Node loads it before the process' own
// code, without a TypeScript loader.
import { subscribe } from "node:diagnostics_channel";

const IDLE_MS = Number(process.env.OLYMPUS_IDLE_GC_MS || 5000);
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
      globalThis.gc({ type: "major", execution: "sync", flavor: "last-resort" });
    },
    Math.max(1000, IDLE_MS / 4),
  ).unref();
}

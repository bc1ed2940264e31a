import type { Domain } from "@olympus/runtime-config/config";
import { embeddedAppEnv, withoutDomainVariables, type App } from "./embedded-defaults";

/**
 * How long `scripts/dev-app.ts` lets a `next dev` stop before it kills its
 * group: long enough for Turbopack to write its compile cache (about 3 s after
 * a first compile on a busy 2-core machine, well under a second otherwise).
 */
export const NEXT_DEV_STOP_GRACE_MS = 20_000;

export interface NextDevInstance {
  domain: Domain;
  app: App;
  port: number;
  /** The dist dir prefix (`.next-dev` unless OLYMPUS_DEV_DIST_DIR_PREFIX moves it, as the dev-start bench does). */
  distDirPrefix?: string;
}

/**
 * The environment of one app's `next dev` for one domain: only that domain's
 * embedded-stack values, its own dist dir, no telemetry — and a stop that
 * waits for Turbopack to write its compile cache.
 *
 * By itself `next dev` gives its server 100 ms to exit on Ctrl-C and then
 * SIGKILLs it (next/dist/cli/next-dev.js, `handleSessionStop`), before
 * Turbopack has written anything to `<distDir>/dev/cache/turbopack`: every
 * restart then compiles every route from nothing (about 5.5 s of CPU per app
 * instance instead of 2). `__NEXT_DEV_WAIT_FOR_TURBOPACK_SHUTDOWN=1` makes the
 * parent wait for its server and the server call Turbopack's `shutdown()`,
 * which writes the cache (next/dist/server/dev/hot-reloader-turbopack.js).
 */
export function nextDevEnv(base: NodeJS.ProcessEnv, instance: NextDevInstance): NodeJS.ProcessEnv {
  return {
    ...withoutDomainVariables(base),
    ...embeddedAppEnv(instance.domain, instance.app, instance.port),
    NEXT_DIST_DIR: `${instance.distDirPrefix ?? ".next-dev"}-${instance.domain}`,
    NEXT_TELEMETRY_DISABLED: "1",
    __NEXT_DEV_WAIT_FOR_TURBOPACK_SHUTDOWN: "1",
  };
}

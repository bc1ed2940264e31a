import type { GoServerTimeouts } from "@olympus/server-kit/http";

/**
 * cmd/daemon/serve.go servePublic and serveAdmin set their own timeouts
 * on the http.Server before graceful.WithDefaults (which keeps values
 * already set): ReadHeaderTimeout 5 s on both (SERVER_OPTIONS), and the
 * ones below.
 */
export const KRATOS_PUBLIC_TIMEOUTS: GoServerTimeouts = { readTimeoutMs: 15_000, writeTimeoutMs: 60_000, idleTimeoutMs: 120_000 };
export const KRATOS_ADMIN_TIMEOUTS: GoServerTimeouts = { readTimeoutMs: 30_000, writeTimeoutMs: 120_000, idleTimeoutMs: 600_000 };

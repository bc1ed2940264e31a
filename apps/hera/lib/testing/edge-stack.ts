import http from "node:http";
import path from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { startEmbeddedKratos, type EmbeddedKratos } from "@olympus/embedded-kratos";
import { createAuditLog } from "@olympus/athena-store/audit";
import type { Domain } from "@olympus/runtime-config/config";
import { startTestOlympusDatabase, type TestOlympusDatabase } from "@olympus/athena-store/olympus-db/testing";
import { freePort } from "@olympus/test-postgres";
import { createCaptchaService, type CaptchaService } from "@/lib/server/captcha/service";
import { EdgeCounters } from "@/lib/server/kratos-edge/counters";
import { createKratosEdge, KRATOS_PROXY_PREFIX, type KratosEdge } from "@/lib/server/kratos-edge/edge";
import { EdgeLimiter } from "@/lib/server/kratos-edge/limiter";
import { loadLimits } from "@/lib/server/kratos-edge/limits-config";
import { stampPeerAddress } from "@/lib/server/kratos-edge/peer-address";
import { EdgeSignIns } from "@/lib/server/kratos-edge/sign-ins";
import { createSecondFactorGate } from "@/lib/server/kratos-edge/second-factor-gate";
import { createMfaPolicySource } from "@/lib/mfa-policy-source";
import { readMfaSettings } from "@olympus/athena-store/settings";
import type { PolicyIdentity } from "@/lib/second-factor-policy";

/**
 * Real parts for the edge tests: PostgreSQL with the `olympus` database laid
 * out and migrated as in production (each domain's role owning nothing), an
 * embedded Kratos per domain on the same server — configured from
 * platform/dev/<domain>-kratos/kratos.yml, with `serve.public.base_url` on
 * the edge as in platform/ — and Hera's edge in a small Node server that
 * stamps each request's connection address as Hera's instrumentation does.
 */
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
export const kratosConfig = (domain: Domain) => path.join(REPO, "platform", "dev", `${domain}-kratos`, "kratos.yml");
export const limitsFile = (environment: "dev" | "prod", domain: Domain) =>
  path.join(REPO, "platform", environment, `${domain}-hera`, "limits.yml");

/** Hera's COOKIE_SECRET in these tests (the CAPTCHA's HMAC keys are derived from it). */
export const TEST_COOKIE_SECRET = "edge-test-cookie-secret-0123456789abcdef";

export interface EdgeServer {
  /** Hera's origin as the test server serves it. */
  url: string;
  /** Kratos' public API through the edge (Hera's origin + /.ory/kratos). */
  kratos: string;
  edge: KratosEdge;
  /** The CAPTCHA parts, when wired (EdgeOptions.captcha). */
  captcha: CaptchaService | undefined;
  /** Requests the edge forwarded to Kratos, by path (no query). */
  forwarded: string[];
  close(): Promise<void>;
}

export interface EdgeStack {
  db: TestOlympusDatabase;
  domain: Domain;
  kratos: EmbeddedKratos;
  /** The first edge, on the port Kratos' base_url names. */
  hera: EdgeServer;
  /** Another edge on the same database and Kratos (a second instance, a restart), with its own limits. */
  startEdge(options?: EdgeOptions): Promise<EdgeServer>;
  /** Kratos' admin API (no token in tests). */
  admin(method: string, pathAndQuery: string, body?: unknown): Promise<Response>;
  stop(): Promise<void>;
}

export interface EdgeOptions {
  /** Deep-merged over platform/dev/<domain>-hera/limits.yml. */
  limits?: Record<string, unknown>;
  port?: number;
  /**
   * The MFA policy's start-up defaults (MFA_REQUIRED, MFA_GRACE_DAYS): with
   * them the edge enforces the policy, read from the test database's
   * settings on every request (no cache), as Hera's instance does.
   */
  mfaDefaults?: { required: boolean; graceDays: number };
  /** Wires the CAPTCHA gate as Hera's instance does (its policy read from the test database's settings on every request). */
  captcha?: boolean;
  /** Rewrites the path of what the edge asks Kratos (a stand-in for a Kratos route the edge does not know). */
  upstreamPath?: (path: string) => string;
}

export interface KratosOptions {
  /**
   * "fast" (the default): bcrypt cost 4, so tests do not wait on hashing;
   * "configured": the hasher of platform/dev/<domain>-kratos/kratos.yml, for
   * measurements that compare sign-ins with the hasher's own rate.
   */
  hasher?: "fast" | "configured";
  /** Recovery v2 (`feature_flags.choose_recovery_address`), off in platform/ as in Kratos. */
  recoveryV2?: boolean;
  /** More Kratos configuration (an identity schema, a courier channel), laid over the test's own. */
  configOverrides?: Record<string, unknown>;
}

export async function startEdgeStack(domain: Domain, options: EdgeOptions = {}, kratosOptions: KratosOptions = {}): Promise<EdgeStack> {
  const db = await startTestOlympusDatabase();
  const port = await freePort();
  const dead = await freePort();
  let kratos: EmbeddedKratos | undefined;
  const servers: EdgeServer[] = [];
  try {
    kratos = await startEmbeddedKratos({
      configPath: kratosConfig(domain),
      dsn: await db.server.createDatabase(`${domain}_kratos`),
      publicPort: 0,
      adminPort: 0,
      // As platform/ configures it: Kratos names Hera's proxy as its public URL.
      publicBaseUrl: `http://127.0.0.1:${port}${KRATOS_PROXY_PREFIX}/`,
      configOverrides: {
        ...(kratosOptions.hasher === "configured" ? {} : { hashers: { algorithm: "bcrypt", bcrypt: { cost: 4 } } }),
        ...(kratosOptions.recoveryV2 ? { feature_flags: { choose_recovery_address: true } } : {}),
        // No mail server and no Hydra in these tests (and never the dev stack's ports).
        courier: { smtp: { connection_uri: `smtp://127.0.0.1:${dead}/?disable_starttls=true` } },
        oauth2_provider: { url: `http://127.0.0.1:${dead}/` },
        ...kratosOptions.configOverrides,
      },
      log: () => {},
    });
    const running = kratos;
    const startEdge = async (edgeOptions: EdgeOptions = {}): Promise<EdgeServer> => {
      const server = await serveEdge(
        db,
        domain,
        running,
        edgeOptions.port ?? (await freePort()),
        merged(options.limits ?? {}, edgeOptions.limits ?? {}),
        edgeOptions.mfaDefaults ?? options.mfaDefaults,
        edgeOptions.captcha ?? options.captcha ?? false,
        edgeOptions.upstreamPath,
      );
      servers.push(server);
      return server;
    };
    const hera = await startEdge({ port });
    return {
      db,
      domain,
      kratos: running,
      hera,
      startEdge,
      admin: (method, pathAndQuery, body) =>
        fetch(`${running.adminUrl}${pathAndQuery}`, {
          method,
          headers: body === undefined ? {} : { "content-type": "application/json" },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }),
      async stop() {
        await Promise.all(servers.map((s) => s.close()));
        await running.close();
        await db.stop();
      },
    };
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    await kratos?.close();
    await db.stop();
    throw error;
  }
}

function merged(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    const plain = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
    out[key] = plain(current) && plain(value) ? merged(current, value) : value;
  }
  return out;
}

async function serveEdge(
  db: TestOlympusDatabase,
  domain: Domain,
  kratos: EmbeddedKratos,
  port: number,
  limitsOverrides: Record<string, unknown>,
  mfaDefaults: EdgeOptions["mfaDefaults"],
  withCaptcha: boolean,
  upstreamPath: ((path: string) => string) | undefined,
): Promise<EdgeServer> {
  const pool = db.pools[domain];
  const limits = loadLimits(domain, limitsFile("dev", domain), { overrides: limitsOverrides });
  const forwarded: string[] = [];
  const countingFetch: typeof fetch = (input, init) => {
    const target = new URL(String(input));
    forwarded.push(target.pathname);
    if (upstreamPath) target.pathname = upstreamPath(target.pathname);
    return fetch(upstreamPath ? target : input, init);
  };
  const url = `http://127.0.0.1:${port}`;
  const limiter = new EdgeLimiter(limits, new EdgeCounters(pool, domain), createAuditLog({ pool, domain }));
  const captcha = withCaptcha ? createCaptchaService({ pool, domain, secret: TEST_COOKIE_SECRET, limiter, policyTtlMs: 0 }) : undefined;
  const edge = createKratosEdge({
    kratosUrl: kratos.publicUrl,
    kratosAdminUrl: kratos.adminUrl,
    publicUrl: url,
    limiter,
    signIns: new EdgeSignIns(pool, domain),
    fetch: countingFetch,
    ...(captcha ? { captcha: captcha.gate } : {}),
    ...(mfaDefaults ? { secondFactor: secondFactorGate(pool, domain, kratos, url, countingFetch, mfaDefaults) } : {}),
  });
  const server = http.createServer((req, res) => {
    stampPeerAddress(req);
    void answer(edge, url, req, res).catch((error: Error) => {
      res.statusCode = 500;
      res.end(error.message);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url,
    kratos: `${url}${KRATOS_PROXY_PREFIX}`,
    edge,
    captcha,
    forwarded,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function secondFactorGate(
  pool: TestOlympusDatabase["pools"][Domain],
  domain: Domain,
  kratos: EmbeddedKratos,
  publicUrl: string,
  upstreamFetch: typeof fetch,
  defaults: { required: boolean; graceDays: number },
) {
  const policy = createMfaPolicySource({ read: () => readMfaSettings(pool, domain), defaults, log: () => {}, ttlMs: 0 });
  return createSecondFactorGate({
    policy: () => policy.current(),
    identity: async (id) => {
      const response = await fetch(`${kratos.adminUrl}/admin/identities/${encodeURIComponent(id)}?include_credential=webauthn`);
      return response.status === 200 ? ((await response.json()) as PolicyIdentity) : undefined;
    },
    kratosUrl: kratos.publicUrl,
    publicUrl,
    fetch: upstreamFetch,
    log: () => {},
  });
}

/** Plays Next for one request: a Web Request in, the route handler's Response out. */
async function answer(edge: KratosEdge, origin: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers))
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const request = new Request(`${origin}${req.url ?? "/"}`, {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    ...({ duplex: "half" } as object),
  });
  const response = await edge.handle(request);
  res.statusCode = response.status;
  for (const [name, value] of response.headers) if (name !== "set-cookie") res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  if (response.body) Readable.fromWeb(response.body as Parameters<typeof Readable.fromWeb>[0]).pipe(res);
  else res.end();
}

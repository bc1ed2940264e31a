import type { RouteInfo } from "../../server";
import {
  brokenJson,
  encode,
  hostileKey,
  hostileString,
  hostileValue,
  protocolAbuseRequest,
  invalidUtf8,
  type FuzzRequest,
  type Random,
} from "@olympus/server-kit/testing/fuzz";

/** Live objects the generator aims at, so hostile input reaches real handlers and not only 404s. */
export interface FuzzTargets {
  flows: Record<"login" | "registration" | "recovery" | "verification" | "settings", { api: string[]; browser: string[] }>;
  /** `name=value` pairs the browser flows' CSRF cookie needs. */
  csrfCookie: string;
  csrfToken: string;
  identityIds: string[];
  sessionIds: string[];
  sessionTokens: string[];
  knownEmails: string[];
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE", "PROPFIND", "G3T"];
const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "text/plain",
  "application/xml",
  "application/json; charset=latin1",
  "",
  "\u0000",
  "application/json, text/html",
];
const FLOW_KINDS = ["login", "registration", "recovery", "verification", "settings"] as const;

/**
 * Builds hostile requests for the Kratos-compatible server: every route of
 * both ports with bad ids, bad queries, bad headers and bad bodies; flow
 * submissions with wrong types, SQL/script payloads in traits, invalid
 * UTF-8, oversized and deeply nested bodies; and raw protocol abuse
 * (header injection, malformed request lines, conflicting lengths).
 */
export class KratosRequestGenerator {
  constructor(
    private readonly rng: Random,
    private readonly routes: { public: RouteInfo[]; admin: RouteInfo[] },
    private readonly targets: FuzzTargets,
  ) {}

  next(): FuzzRequest {
    const roll = this.rng.next();
    if (roll < 0.4) return this.flowSubmission();
    if (roll < 0.62) return this.routeSweep();
    if (roll < 0.8) return this.adminWrite();
    if (roll < 0.92) return this.protocolAbuse();
    return this.unknownPath();
  }

  private headers(extra: [string, string][] = []): [string, string][] {
    const rng = this.rng;
    const h: [string, string][] = [...extra];
    if (rng.chance(0.6))
      h.push([
        "Accept",
        rng.pick(["application/json", "text/html", "*/*", "application/json;q=0.1, text/html;q=0.2", hostileString(rng).slice(0, 200)]),
      ]);
    if (rng.chance(0.3))
      h.push(["X-Session-Token", rng.chance(0.5) ? rng.pick(this.targets.sessionTokens) : hostileString(rng).slice(0, 4000)]);
    if (rng.chance(0.15))
      h.push(["Authorization", rng.pick(["Bearer ", "Bearer x", "Basic Zm9vOmJhcg==", `Bearer ${"a".repeat(3000)}`, "Negotiate"])]);
    if (rng.chance(0.3))
      h.push([
        "Cookie",
        rng.chance(0.5) ? this.targets.csrfCookie : `${hostileKey(this.rng)}=${encode(hostileString(rng).slice(0, 2000))}`,
      ]);
    if (rng.chance(0.25))
      h.push([
        "X-Forwarded-For",
        rng.pick(["198.51.100.1", "1.1.1.1, 2.2.2.2", "garbage", "::1", "[2001:db8::1]:80", ", ,", "999.999.999.999"]),
      ]);
    if (rng.chance(0.1)) h.push(["X-CSRF-Token", rng.chance(0.5) ? this.targets.csrfToken : hostileString(rng).slice(0, 500)]);
    if (rng.chance(0.1)) h.push(["Origin", rng.pick(["http://ciam.localhost:3000", "http://evil.example", "null"])]);
    if (rng.chance(0.05)) h.push(["X-Forwarded-Host", rng.pick(["evil.example", "ciam.localhost:3000 X: y", "a".repeat(500)])]);
    return h;
  }

  private query(flowKind?: (typeof FLOW_KINDS)[number]): string {
    const rng = this.rng;
    const params: string[] = [];
    if (flowKind) {
      const id = rng.chance(0.6) ? this.flowId(flowKind) : rng.chance(0.5) ? rng.uuid() : encode(hostileString(rng).slice(0, 300));
      params.push(`${rng.chance(0.9) ? "flow" : "id"}=${id}`);
    }
    const extras = [
      "return_to",
      "aal",
      "refresh",
      "page_size",
      "page_token",
      "ids",
      "credentials_identifier",
      "include_credential",
      "identity_schema",
      "login_challenge",
      "expand",
      "active",
      "token",
      "code",
      "method",
    ];
    for (let i = rng.int(0, 3); i > 0; i--) {
      const key = rng.pick(extras);
      const value = rng.pick([
        "-1",
        "0",
        "99999999999",
        "abc",
        "aal3",
        "true",
        "http://evil.example/",
        "http://ciam.localhost:3000/%0d%0aSet-Cookie:%20x=1",
        "%zz",
        "%",
        encode(hostileString(rng).slice(0, 300)),
      ]);
      params.push(`${key}=${value}`);
    }
    return params.length > 0 ? `?${params.join("&")}` : "";
  }

  private flowId(kind: (typeof FLOW_KINDS)[number]): string {
    const pool = this.targets.flows[kind];
    return this.rng.pick(this.rng.chance(0.6) ? pool.api : pool.browser);
  }

  private body(type: "json" | "form", value: unknown): Buffer {
    if (type === "form") {
      const entries =
        typeof value === "object" && value !== null ? Object.entries(flatten(value as Record<string, unknown>)) : [["x", String(value)]];
      return Buffer.from(entries.map(([k, v]) => `${encode(k)}=${encode(String(v))}`).join("&"));
    }
    return Buffer.from(JSON.stringify(value) ?? "null");
  }

  /** A hostile body: broken JSON, wrong top-level types, huge, invalid UTF-8, or a plausible shape with hostile values. */
  private hostileBody(plausible: () => Record<string, unknown>): { body: Buffer; contentType: string } {
    const rng = this.rng;
    const roll = rng.next();
    if (roll < 0.12) return { body: Buffer.from(brokenJson(rng)), contentType: "application/json" };
    if (roll < 0.2) return { body: this.body("json", rng.pick([[], 1, "s", null, true, [plausible()]])), contentType: "application/json" };
    if (roll < 0.25)
      return {
        body: Buffer.alloc(rng.int(1024 * 1024 + 1, 1024 * 1024 + 200_000), 0x61),
        contentType: rng.pick(["application/json", "application/x-www-form-urlencoded"]),
      };
    if (roll < 0.32) {
      const form = rng.chance(0.5);
      return { body: invalidUtf8(rng, form), contentType: form ? "application/x-www-form-urlencoded" : "application/json" };
    }
    if (roll < 0.38)
      return {
        body: Buffer.from(
          rng.pick([
            "__proto__.polluted=1&method=password",
            "constructor.prototype.polluted=1",
            "traits.__proto__.polluted=1&method=password",
            `${"a.".repeat(5000)}b=1`,
            "traits[email]=x&traits[email]=y",
          ]),
        ),
        contentType: "application/x-www-form-urlencoded",
      };
    if (roll < 0.42)
      return { body: Buffer.from(`{"traits":${'{"a":'.repeat(3000)}1${"}".repeat(3000)}}`), contentType: "application/json" };
    const value = plausible();
    const form = rng.chance(0.25);
    return {
      body: this.body(form ? "form" : "json", value),
      contentType: rng.chance(0.9) ? (form ? "application/x-www-form-urlencoded" : "application/json") : rng.pick(CONTENT_TYPES),
    };
  }

  private traits(): unknown {
    const rng = this.rng;
    if (rng.chance(0.15)) return hostileValue(rng);
    const traits: Record<string, unknown> = {
      email: rng.chance(0.3)
        ? `fuzz-${rng.string(10)}@example.com`
        : rng.chance(0.1)
          ? rng.pick(this.targets.knownEmails)
          : hostileValue(rng),
    };
    if (rng.chance(0.5)) traits.name = rng.chance(0.5) ? { first: hostileString(rng), last: hostileValue(rng) } : hostileValue(rng);
    if (rng.chance(0.3)) traits[hostileKey(rng)] = hostileValue(rng);
    return traits;
  }

  private flowSubmission(): FuzzRequest {
    const rng = this.rng;
    const kind = rng.pick(FLOW_KINDS);
    const method = rng.chance(0.9) ? "POST" : rng.pick(METHODS);
    const plausible = (): Record<string, unknown> => {
      const body: Record<string, unknown> = {
        method: rng.chance(0.8)
          ? rng.pick(["password", "code", "link", "profile", "totp", "lookup_secret", "webauthn"])
          : hostileValue(rng),
      };
      if (rng.chance(0.7)) body.csrf_token = rng.chance(0.5) ? this.targets.csrfToken : hostileValue(rng);
      if (kind === "login") {
        body.identifier = rng.chance(0.3) ? rng.pick(this.targets.knownEmails) : hostileValue(rng);
        body.password = rng.chance(0.5) ? `pw-${rng.string(16)}` : hostileValue(rng);
      }
      if (kind === "registration" || kind === "settings") {
        body.traits = this.traits();
        if (rng.chance(0.7)) body.password = rng.chance(0.6) ? `Fuzz-${rng.string(20)}-pw` : hostileValue(rng);
      }
      if (kind === "recovery" || kind === "verification") {
        body.email = rng.chance(0.2) ? `nobody-${rng.string(8)}@example.com` : hostileValue(rng);
      }
      for (const key of ["code", "totp_code", "lookup_secret", "resend", "token", "webauthn_login", "transient_payload"]) {
        if (rng.chance(0.08)) body[key] = hostileValue(rng);
      }
      return body;
    };
    const { body, contentType } = this.hostileBody(plausible);
    const headers = this.headers(contentType || rng.chance(0.9) ? [["Content-Type", contentType]] : []);
    return { port: "public", kind: `submit:${kind}`, method, target: `/self-service/${kind}${this.query(kind)}`, headers, body };
  }

  private fillPattern(pattern: string): string {
    const rng = this.rng;
    return pattern.replace(/:[a-z_]+/g, (param) => {
      if (param === ":type")
        return rng.pick(["password", "totp", "oidc", "webauthn", "lookup_secret", encode(hostileString(rng).slice(0, 100))]);
      if (rng.chance(0.3)) return rng.pick([...this.targets.identityIds, ...this.targets.sessionIds]);
      if (rng.chance(0.4)) return rng.uuid();
      return rng.pick([
        "%zz",
        "%",
        "..",
        "%2e%2e",
        encode(hostileString(rng).slice(0, 500)),
        "null",
        "00000000-0000-0000-0000-000000000000",
      ]);
    });
  }

  private routeSweep(): FuzzRequest {
    const rng = this.rng;
    const port = rng.chance(0.5) ? "public" : "admin";
    let route = rng.pick(this.routes[port]);
    const method = rng.chance(0.85) ? rng.pick(route.methods) : rng.pick(METHODS);
    // Deleting the seeded identities and sessions would starve the rest of the run: DELETE aims at unknown ids.
    if (method === "DELETE") route = { ...route, pattern: route.pattern.replace(/:[a-z_]+/g, () => rng.uuid()) };
    const flowKind = FLOW_KINDS.find((k) => route.pattern === `/self-service/${k}/flows`);
    let target = `${this.fillPattern(route.pattern)}${this.query(flowKind)}`;
    if (flowKind && rng.chance(0.5)) target = target.replace("?flow=", "?id=");
    const withBody = method !== "GET" && method !== "HEAD" && rng.chance(0.7);
    const hostile = withBody ? this.hostileBody(() => ({ [hostileKey(rng)]: hostileValue(rng) })) : undefined;
    const headers = this.headers(hostile ? [["Content-Type", hostile.contentType]] : []);
    return { port, kind: `route:${route.pattern}`, method, target, headers, ...(hostile ? { body: hostile.body } : {}) };
  }

  private adminWrite(): FuzzRequest {
    const rng = this.rng;
    const id = rng.chance(0.7) ? rng.pick(this.targets.identityIds) : rng.uuid();
    const choice = rng.int(0, 6);
    const plausibleCreate = (): Record<string, unknown> => ({
      schema_id: rng.chance(0.8) ? rng.pick(["default", "customer", "company"]) : hostileValue(rng),
      traits: this.traits(),
      ...(rng.chance(0.5) ? { state: rng.chance(0.7) ? rng.pick(["active", "inactive"]) : hostileValue(rng) } : {}),
      ...(rng.chance(0.5)
        ? {
            credentials: rng.chance(0.5)
              ? {
                  password: {
                    config: rng.chance(0.5)
                      ? { password: hostileValue(rng) }
                      : { hashed_password: rng.pick(["$2a$04$abc", "$argon2id$v=19$m=1,t=1,p=1$x$y", hostileString(rng)]) },
                  },
                }
              : hostileValue(rng),
          }
        : {}),
      ...(rng.chance(0.3) ? { metadata_public: hostileValue(rng), metadata_admin: hostileValue(rng) } : {}),
      ...(rng.chance(0.2) ? { verifiable_addresses: hostileValue(rng), recovery_addresses: hostileValue(rng) } : {}),
    });
    const patchOps = (): unknown => [
      {
        op: rng.pick(["add", "replace", "remove", "move", "copy", "test", "nope"]),
        path: rng.pick([
          "/traits/email",
          "/traits",
          "/state",
          "/credentials/password/config/password",
          "/id",
          "",
          "/metadata_public/a/b/c",
          "/traits/~2",
          "/-",
          hostileString(rng).slice(0, 100),
        ]),
        value: hostileValue(rng),
        from: rng.pick(["/traits", "/x"]),
      },
    ];
    const requests: [string, string, () => unknown][] = [
      ["POST", "/admin/identities", plausibleCreate],
      ["PUT", `/admin/identities/${id}`, plausibleCreate],
      ["PATCH", `/admin/identities/${id}`, () => (rng.chance(0.8) ? patchOps() : hostileValue(rng))],
      [
        "POST",
        "/admin/recovery/code",
        () => ({
          identity_id: rng.chance(0.5) ? id : hostileValue(rng),
          expires_in: rng.pick(["1h", "-1h", "0", "abc", "99999999h", hostileString(rng)]),
          flow_type: rng.pick(["api", "browser", "x"]),
        }),
      ],
      [
        "POST",
        "/admin/recovery/link",
        () => ({ identity_id: rng.chance(0.5) ? id : hostileValue(rng), expires_in: rng.pick(["1h", "-5m", hostileString(rng)]) }),
      ],
      ["PATCH", `/admin/sessions/${rng.chance(0.5) ? rng.pick(this.targets.sessionIds) : rng.uuid()}/extend`, () => hostileValue(rng)],
      [
        "DELETE",
        `/admin/identities/${id}/credentials/${rng.pick(["totp", "webauthn", "lookup_secret", "password", "oidc", "x"])}`,
        () => ({}),
      ],
    ];
    const picked = requests[choice] ?? requests[0];
    if (!picked) throw new Error("no admin request template");
    const [method, path, make] = picked;
    const { body, contentType } = this.hostileBody(() => {
      const made = make();
      return typeof made === "object" && made !== null && !Array.isArray(made) ? (made as Record<string, unknown>) : { value: made };
    });
    // Deleting seeded identities would starve the rest of the run; only unknown ids get DELETE.
    const safePath = method === "DELETE" ? path.replace(id, rng.uuid()) : path;
    return {
      port: "admin",
      kind: `admin:${method} ${path.replace(/[0-9a-f-]{36}/g, ":id")}`,
      method,
      target: safePath,
      headers: this.headers([["Content-Type", contentType]]),
      body,
    };
  }

  private protocolAbuse(): FuzzRequest {
    const rng = this.rng;
    return protocolAbuseRequest(rng, {
      port: rng.chance(0.6) ? "public" : "admin",
      path: rng.pick([
        "/sessions/whoami",
        "/self-service/login/api",
        "/admin/identities",
        "/health/alive",
        `/self-service/login?flow=${this.flowId("login")}`,
      ]),
      queryPath: "/self-service/login/flows?id=",
      chunkedBodyType: "application/json",
    });
  }

  private unknownPath(): FuzzRequest {
    const rng = this.rng;
    const port = rng.chance(0.5) ? "public" : "admin";
    const target = rng.pick([
      `/${encode(hostileString(rng).slice(0, 200))}`,
      "/admin/../../etc/passwd",
      "/self-service/login/../../admin/identities",
      "//admin//identities",
      "/admin/identities/%2e%2e/%2e%2e",
      "/self-service/nothing/api",
      "/sessions/whoami/extra",
      "/.well-known/openid-configuration",
      "/%00",
      "*",
      "http://evil.example/admin/identities",
    ]);
    return { port, kind: "unknown-path", method: rng.pick(METHODS), target, headers: this.headers() };
  }
}

function flatten(value: Record<string, unknown>, prefix = ""): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "object" && v !== null && !Array.isArray(v)) Object.assign(out, flatten(v as Record<string, unknown>, key));
    else out[key] = v;
  }
  return out;
}

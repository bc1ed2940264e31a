import type { RouteInfo } from "@olympus/server-kit/http";
import {
  brokenJson,
  encode,
  hostileKey,
  hostileString,
  hostileValue,
  protocolAbuseRequest,
  type FuzzRequest,
  type Random,
} from "@olympus/server-kit/testing/fuzz";

/** Live objects the generator aims at, so hostile input reaches real handlers. */
export interface HydraFuzzTargets {
  clients: { id: string; secret?: string }[];
  loginChallenges: string[];
  consentChallenges: string[];
  keySet: string;
  redirectUri: string;
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE", "G3T"];
const CONTENT_TYPES = [
  "application/json",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "text/plain",
  "",
  "application/json; charset=latin1",
  "application/jwt",
];

/**
 * Hostile requests for the Hydra-compatible server: every route of both
 * ports; OAuth2 parameters (client ids, redirect URIs, PKCE, scopes,
 * verifiers) with wrong types and injection payloads; token endpoint
 * requests with broken client authentication; admin writes with hostile
 * client metadata and challenge decisions; raw protocol abuse.
 */
export class HydraRequestGenerator {
  constructor(
    private readonly rng: Random,
    private readonly routes: { public: RouteInfo[]; admin: RouteInfo[] },
    private readonly targets: HydraFuzzTargets,
  ) {}

  next(): FuzzRequest {
    const roll = this.rng.next();
    if (roll < 0.22) return this.authorize();
    if (roll < 0.42) return this.tokenEndpoint();
    if (roll < 0.62) return this.adminWrite();
    if (roll < 0.8) return this.routeSweep();
    if (roll < 0.92) return this.protocolAbuse();
    return this.unknownPath();
  }

  private client(): { id: string; secret?: string } {
    return this.rng.chance(0.8)
      ? this.rng.pick(this.targets.clients)
      : { id: this.rng.chance(0.5) ? this.rng.uuid() : hostileString(this.rng).slice(0, 300) };
  }

  private headers(extra: [string, string][] = []): [string, string][] {
    const rng = this.rng;
    const h: [string, string][] = [...extra];
    if (rng.chance(0.5)) h.push(["Accept", rng.pick(["application/json", "text/html", "*/*", hostileString(rng).slice(0, 200)])]);
    if (rng.chance(0.25))
      h.push([
        "Cookie",
        rng.pick([
          "ciam_hydra_session=abc",
          "ciam_hydra_login_csrf=x; ciam_hydra_consent_csrf=y",
          `_interaction=${encode(hostileString(rng).slice(0, 1000))}`,
          `ciam_hydra_session.sig=${"A".repeat(2000)}`,
        ]),
      ]);
    if (rng.chance(0.15)) h.push(["Origin", rng.pick(["http://ciam.localhost:3000", "http://evil.example", "null"])]);
    if (rng.chance(0.15)) h.push(["X-Forwarded-Proto", rng.pick(["https", "gopher", "", "http, https"])]);
    if (rng.chance(0.15)) h.push(["X-Forwarded-Host", rng.pick(["evil.example", "a".repeat(400), "ciam.localhost:3102 ", "[::1]"])]);
    if (rng.chance(0.1)) h.push(["X-Forwarded-For", rng.pick(["1.2.3.4", "garbage", ", ,"])]);
    return h;
  }

  private query(params: Record<string, string>): string {
    return Object.entries(params)
      .map(([k, v]) => `${encode(k)}=${v}`)
      .join("&");
  }

  private value(...likely: string[]): string {
    const rng = this.rng;
    if (likely.length > 0 && rng.chance(0.55)) return encode(rng.pick(likely));
    return rng.pick(["", "%zz", "%", encode(hostileString(rng).slice(0, rng.chance(0.1) ? 20_000 : 400))]);
  }

  private authorize(): FuzzRequest {
    const rng = this.rng;
    const client = this.client();
    const params: Record<string, string> = {};
    const maybe = (key: string, ...likely: string[]) => {
      if (rng.chance(0.75)) params[key] = this.value(...likely);
    };
    maybe("client_id", client.id);
    maybe("response_type", "code", "token", "id_token", "code id_token", "none");
    maybe(
      "redirect_uri",
      this.targets.redirectUri,
      `${this.targets.redirectUri}/x`,
      this.targets.redirectUri.toUpperCase(),
      "http://evil.localhost/callback",
      "javascript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
    );
    maybe("scope", "openid", "openid offline_access", "openid email profile", "admin", "openid openid openid");
    maybe("state", "s", "x".repeat(3000));
    maybe("nonce", "n");
    maybe("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "short", "=".repeat(128));
    maybe("code_challenge_method", "S256", "plain", "S512");
    if (rng.chance(0.2)) params.prompt = this.value("none", "login", "consent", "select_account", "none login");
    if (rng.chance(0.15)) params.max_age = this.value("0", "-1", "1e9", "abc");
    if (rng.chance(0.15)) params.request = this.value("eyJhbGciOiJub25lIn0.eyJjbGllbnRfaWQiOiJ4In0.", "a.b.c");
    if (rng.chance(0.1)) params.response_mode = this.value("query", "form_post", "fragment", "web_message");
    if (rng.chance(0.15))
      params[rng.pick(["login_verifier", "consent_verifier"])] = this.value(rng.uuid(), ...this.targets.loginChallenges);
    if (rng.chance(0.1)) params.claims = this.value('{"id_token":{"email":null}}', "{");
    if (rng.chance(0.05)) params[hostileKey(rng)] = this.value();
    const method = rng.chance(0.8) ? "GET" : rng.pick(["POST", "PUT", "HEAD"]);
    const body = method === "POST" ? Buffer.from(this.query(params)) : undefined;
    const target = method === "POST" ? "/oauth2/auth" : `/oauth2/auth?${this.query(params)}`;
    const headers = this.headers(
      body ? [["Content-Type", rng.chance(0.8) ? "application/x-www-form-urlencoded" : rng.pick(CONTENT_TYPES)]] : [],
    );
    return { port: "public", kind: "authorize", method, target, headers, ...(body ? { body } : {}) };
  }

  private tokenEndpoint(): FuzzRequest {
    const rng = this.rng;
    const client = this.client();
    const form: Record<string, string> = {};
    const maybe = (key: string, ...likely: string[]) => {
      if (rng.chance(0.75)) form[key] = this.value(...likely);
    };
    maybe(
      "grant_type",
      "authorization_code",
      "refresh_token",
      "client_credentials",
      "password",
      "urn:ietf:params:oauth:grant-type:jwt-bearer",
      "implicit",
    );
    maybe("code", rng.string(43, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"));
    maybe("refresh_token", rng.string(43, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"));
    maybe("redirect_uri", this.targets.redirectUri);
    maybe("code_verifier", rng.string(50), "x");
    maybe("scope", "openid", "reports.read", "admin");
    if (rng.chance(0.3)) form.client_id = this.value(client.id);
    if (rng.chance(0.2)) form.client_secret = this.value(client.secret ?? "");
    if (rng.chance(0.1)) form.client_assertion = this.value("a.b.c");
    if (rng.chance(0.1)) form.client_assertion_type = this.value("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    const extra: [string, string][] = [];
    if (rng.chance(0.6)) {
      const auth = rng.pick([
        `Basic ${Buffer.from(`${client.id}:${client.secret ?? "x"}`).toString("base64")}`,
        `Basic ${Buffer.from(`${client.id}:wrong`).toString("base64")}`,
        "Basic !!!notbase64",
        `Basic ${Buffer.from("no-colon").toString("base64")}`,
        `Basic ${Buffer.from(`${encode(hostileString(rng).slice(0, 300))}:x`).toString("base64")}`,
        `Basic ${Buffer.from("%zz:%zz").toString("base64")}`,
        "Bearer abc",
        `Basic ${"A".repeat(8000)}`,
      ]);
      extra.push(["Authorization", auth]);
    }
    const path = rng.pick(["/oauth2/token", "/oauth2/token", "/oauth2/token", "/oauth2/revoke", "/userinfo"]);
    if (path === "/oauth2/revoke") form.token = this.value(rng.string(43), "");
    if (path === "/userinfo")
      extra.push(["Authorization", `Bearer ${rng.chance(0.5) ? rng.string(43) : hostileString(rng).slice(0, 2000)}`]);
    const roll = rng.next();
    let body: Buffer;
    let contentType = "application/x-www-form-urlencoded";
    if (roll < 0.1) {
      body = Buffer.from(brokenJson(rng));
      contentType = "application/json";
    } else if (roll < 0.2) {
      body = Buffer.from(JSON.stringify(Object.fromEntries(Object.keys(form).map((k) => [k, hostileValue(rng)]))));
      contentType = "application/json";
    } else if (roll < 0.25) {
      body = Buffer.alloc(rng.int(1024 * 1024, 1024 * 1024 + 300_000), 0x61);
    } else if (roll < 0.3) {
      body = Buffer.concat([Buffer.from("grant_type=client_credentials&scope="), Buffer.from([0xff, 0xfe, 0xc3, 0x28])]);
    } else {
      body = Buffer.from(this.query(form));
      if (rng.chance(0.1)) contentType = rng.pick(CONTENT_TYPES);
    }
    const method = rng.chance(0.9) ? "POST" : rng.pick(METHODS);
    return {
      port: "public",
      kind: `token:${path}`,
      method,
      target: path,
      headers: this.headers([...extra, ["Content-Type", contentType]]),
      body,
    };
  }

  private challenge(kind: "login" | "consent" | "logout"): string {
    const rng = this.rng;
    const pool = kind === "login" ? this.targets.loginChallenges : kind === "consent" ? this.targets.consentChallenges : [];
    if (pool.length > 0 && rng.chance(0.5)) return rng.pick(pool);
    return rng.chance(0.5) ? rng.uuid() : encode(hostileString(rng).slice(0, 500));
  }

  private hostileJsonBody(plausible: () => unknown): { body: Buffer; contentType: string } {
    const rng = this.rng;
    const roll = rng.next();
    if (roll < 0.12) return { body: Buffer.from(brokenJson(rng)), contentType: "application/json" };
    if (roll < 0.2) return { body: Buffer.from(JSON.stringify(rng.pick([[], 1, "s", null, true]))), contentType: "application/json" };
    if (roll < 0.25) return { body: Buffer.alloc(rng.int(1024 * 1024 + 1, 1024 * 1024 + 200_000), 0x7b), contentType: "application/json" };
    if (roll < 0.3)
      return {
        body: Buffer.concat([Buffer.from('{"client_name":"'), Buffer.from([0xff, 0xc3, 0x28]), Buffer.from('"}')]),
        contentType: "application/json",
      };
    if (roll < 0.34) return { body: Buffer.from(`{"a":${"[".repeat(5000)}${"]".repeat(5000)}}`), contentType: "application/json" };
    return {
      body: Buffer.from(JSON.stringify(plausible()) ?? "null"),
      contentType: rng.chance(0.9) ? "application/json" : rng.pick(CONTENT_TYPES),
    };
  }

  private clientMetadata(): Record<string, unknown> {
    const rng = this.rng;
    const pick = <T>(likely: T) => (rng.chance(0.6) ? likely : hostileValue(rng));
    const meta: Record<string, unknown> = {};
    const fields: [string, () => unknown][] = [
      ["client_name", () => pick(`fuzz ${rng.string(6)}`)],
      ["redirect_uris", () => pick([this.targets.redirectUri, "javascript:alert(1)", "http://a b/", "*"])],
      ["grant_types", () => pick(["authorization_code", "refresh_token", "client_credentials", "implicit", "password"])],
      ["response_types", () => pick(["code", "token", "code id_token"])],
      ["scope", () => pick("openid offline_access")],
      [
        "token_endpoint_auth_method",
        () => pick(rng.pick(["client_secret_basic", "client_secret_post", "none", "private_key_jwt", "tls_client_auth"])),
      ],
      ["client_secret", () => pick(rng.string(rng.int(0, 40)))],
      ["client_id", () => pick(`fuzz-${rng.string(10)}`)],
      ["audience", () => hostileValue(rng)],
      ["metadata", () => hostileValue(rng)],
      ["contacts", () => hostileValue(rng)],
      ["jwks", () => hostileValue(rng)],
      ["jwks_uri", () => pick("http://127.0.0.1:9/jwks")],
      ["post_logout_redirect_uris", () => hostileValue(rng)],
      ["backchannel_logout_uri", () => pick("http://127.0.0.1:9/bc")],
      ["skip_consent", () => pick(true)],
      ["owner", () => hostileString(rng)],
      ["access_token_strategy", () => pick("jwt")],
      ["subject_type", () => pick("pairwise")],
    ];
    for (const [k, make] of fields) if (rng.chance(0.35)) meta[k] = make();
    return meta;
  }

  private adminWrite(): FuzzRequest {
    const rng = this.rng;
    const clientId = this.client().id;
    const kind = rng.pick(["login", "consent", "logout"] as const);
    const decision = rng.pick(["accept", "reject"]);
    const templates: [string, string, () => unknown][] = [
      ["POST", "/admin/clients", () => this.clientMetadata()],
      ["PUT", `/admin/clients/${encode(clientId)}`, () => this.clientMetadata()],
      [
        "PATCH",
        `/admin/clients/${encode(clientId)}`,
        () => [
          {
            op: rng.pick(["add", "replace", "remove", "move", "x"]),
            path: rng.pick(["/client_name", "/redirect_uris/-", "/client_id", "/", "", hostileString(rng).slice(0, 50)]),
            value: hostileValue(rng),
          },
        ],
      ],
      [
        "PUT",
        `/admin/oauth2/auth/requests/${kind}/${decision}?${kind}_challenge=${this.challenge(kind)}`,
        () =>
          decision === "accept"
            ? {
                subject: rng.chance(0.5) ? "fuzz-user" : hostileValue(rng),
                remember: hostileValue(rng),
                remember_for: rng.pick([0, -1, 1e12, "x"]),
                grant_scope: rng.chance(0.5) ? ["openid"] : hostileValue(rng),
                session: hostileValue(rng),
                context: hostileValue(rng),
                acr: hostileValue(rng),
              }
            : { error: hostileValue(rng), error_description: hostileValue(rng), status_code: rng.pick([0, 200, 302, 999, "x", -1]) },
      ],
      ["GET", `/admin/oauth2/auth/requests/${kind}?${kind}_challenge=${this.challenge(kind)}`, () => ({})],
      ["POST", "/admin/oauth2/introspect", () => ({ token: hostileValue(rng), scope: hostileValue(rng) })],
      [
        "DELETE",
        `/admin/oauth2/auth/sessions/consent?subject=${this.value("fuzz-user")}&client=${this.value(rng.uuid())}&all=${this.value("true", "false")}`,
        () => ({}),
      ],
      ["DELETE", `/admin/oauth2/auth/sessions/login?${rng.pick(["subject", "sid"])}=${this.value("fuzz-user")}`, () => ({})],
      ["DELETE", `/admin/oauth2/tokens?client_id=${this.value(rng.uuid())}`, () => ({})],
      [
        "POST",
        `/admin/keys/${rng.chance(0.8) ? `fuzz-${rng.string(4)}` : encode(hostileString(rng).slice(0, 100))}`,
        () => ({
          alg: rng.pick(["RS256", "ES256", "HS256", "none", hostileString(rng)]),
          use: rng.pick(["sig", "enc", 1]),
          kid: hostileValue(rng),
        }),
      ],
      [
        "GET",
        `/admin/clients?page_size=${this.value("-1", "0", "1000000", "abc")}&page_token=${this.value("x", rng.uuid())}&client_name=${this.value()}&owner=${this.value()}`,
        () => ({}),
      ],
    ];
    const template = rng.pick(templates);
    const [method, path, make] = template;
    // Deleting the seeded clients or signing keys would only starve the rest of the run.
    const form = path.startsWith("/admin/oauth2/introspect") && rng.chance(0.5);
    const { body, contentType } = form
      ? { body: Buffer.from(`token=${this.value(rng.string(43))}`), contentType: "application/x-www-form-urlencoded" }
      : this.hostileJsonBody(make);
    return {
      port: "admin",
      kind: `admin:${method} ${path.split("?")[0]?.replace(/[0-9a-f-]{36}/g, ":id")}`,
      method,
      target: path,
      headers: this.headers([["Content-Type", contentType]]),
      body,
    };
  }

  private routeSweep(): FuzzRequest {
    const rng = this.rng;
    const port = rng.chance(0.5) ? "public" : "admin";
    const route = rng.pick(this.routes[port]);
    let method = rng.chance(0.85) ? rng.pick(route.methods) : rng.pick(METHODS);
    const target =
      route.pattern.replace(/:[a-z_]+/g, (param) => {
        if (method === "DELETE") return rng.uuid();
        if (param === ":set" && rng.chance(0.3)) return this.targets.keySet;
        if (rng.chance(0.3)) return encode(this.client().id);
        return rng.chance(0.5) ? rng.uuid() : rng.pick(["%zz", "%", "..", encode(hostileString(rng).slice(0, 300))]);
      }) +
      (rng.chance(0.5)
        ? `?${this.query({ [rng.pick(["login_challenge", "consent_challenge", "logout_challenge", "subject", "client", "page_size", "page_token", "token"])]: this.value() })}`
        : "");
    // Rotating the real signing key set or deleting its keys is an admin's right, not hostile input.
    if (target.startsWith(`/admin/keys/${this.targets.keySet}`) && method !== "GET") method = "GET";
    const withBody = method !== "GET" && method !== "HEAD" && rng.chance(0.7);
    const hostile = withBody ? this.hostileJsonBody(() => ({ [hostileKey(rng)]: hostileValue(rng) })) : undefined;
    return {
      port,
      kind: `route:${route.pattern}`,
      method,
      target,
      headers: this.headers(hostile ? [["Content-Type", hostile.contentType]] : []),
      ...(hostile ? { body: hostile.body } : {}),
    };
  }

  private protocolAbuse(): FuzzRequest {
    const rng = this.rng;
    return protocolAbuseRequest(rng, {
      port: rng.chance(0.6) ? "public" : "admin",
      path: rng.pick(["/oauth2/auth?client_id=x", "/oauth2/token", "/admin/clients", "/health/alive", "/.well-known/openid-configuration"]),
      queryPath: "/oauth2/auth?state=",
      chunkedBodyType: "application/x-www-form-urlencoded",
    });
  }

  private unknownPath(): FuzzRequest {
    const rng = this.rng;
    return {
      port: rng.chance(0.5) ? "public" : "admin",
      kind: "unknown-path",
      method: rng.pick(METHODS),
      target: rng.pick([
        `/${encode(hostileString(rng).slice(0, 200))}`,
        "/oauth2/../admin/clients",
        "//admin//clients",
        "/admin/clients/%2e%2e",
        "/oauth2/fallbacks/error",
        "/interaction/abc",
        "/oauth2/device/auth",
        "/reg",
        "/.well-known/../admin/clients",
        "/%00",
        "*",
      ]),
      headers: this.headers(),
    };
  }
}

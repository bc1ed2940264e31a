import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "@olympus/test-postgres";
import { startCaddy, UPSTREAM_VARIABLES as UPSTREAMS, type RunningCaddy, type UpstreamVariable as Upstream } from "./caddy-process";
import { domainOfPublicHost } from "./checks/caddy";

const HOSTS = ["ciam.localhost", "admin.ciam.localhost", "iam.localhost", "admin.iam.localhost"];
// Every kind of path a browser or attacker might try, including admin API paths.
const PATHS = [
  "/",
  "/login",
  "/.ory/kratos/sessions/whoami",
  "/.ory/kratos/admin/identities",
  "/oauth2/auth",
  "/.well-known/openid-configuration",
  "/.well-known/jwks.json",
  "/userinfo",
  "/admin/identities",
  "/admin/clients",
  "/admin/oauth2/auth/requests/login",
];

interface Answer {
  host: string;
  path: string;
  upstream: Upstream | "none";
}

/** Stand-ins for each upstream: they answer with their own name. */
async function startStubs(): Promise<{ ports: Record<Upstream, number>; close: () => Promise<void> }> {
  const servers: Server[] = [];
  const ports = {} as Record<Upstream, number>;
  for (const name of UPSTREAMS) {
    const port = await freePort();
    const server = createServer((_req, res) => res.end(name));
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    servers.push(server);
    ports[name] = port;
  }
  return { ports, close: async () => void (await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))) };
}

async function probeAll(caddy: RunningCaddy): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (const host of HOSTS) {
    for (const urlPath of PATHS) {
      const { body } = await caddy.get(host, urlPath);
      answers.push({ host, path: urlPath, upstream: (UPSTREAMS as readonly string[]).includes(body) ? (body as Upstream) : "none" });
    }
  }
  return answers;
}

/** Answers that came from an upstream of the other domain: the boundary is broken. */
function crossDomainAnswers(answers: Answer[]): Answer[] {
  return answers.filter((a) => {
    const hostDomain = domainOfPublicHost(a.host, "localhost");
    return a.upstream === "none" || !a.upstream.startsWith(`${hostDomain?.toUpperCase()}_`);
  });
}

describe("a real Caddy with the project's Caddyfile", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function serve(overrides: Partial<Record<Upstream, Upstream>> = {}) {
    const stubs = await startStubs();
    cleanups.push(stubs.close);
    const env = Object.fromEntries(UPSTREAMS.map((name) => [name, `127.0.0.1:${stubs.ports[overrides[name] ?? name]}`])) as Record<
      Upstream,
      string
    >;
    const caddy = await startCaddy(env);
    cleanups.push(caddy.stop);
    return probeAll(caddy);
  }

  it("answers every host and path from that host's own domain only", async () => {
    const answers = await serve();
    expect(crossDomainAnswers(answers)).toEqual([]);
    const byKey = (host: string, p: string) => answers.find((a) => a.host === host && a.path === p)?.upstream;
    expect(byKey("ciam.localhost", "/login")).toBe("CIAM_HERA_UPSTREAM");
    // Kratos' public API is Hera's to serve (its proxy, where the sign-in limits run): Caddy never reaches Kratos.
    expect(byKey("ciam.localhost", "/.ory/kratos/sessions/whoami")).toBe("CIAM_HERA_UPSTREAM");
    expect(byKey("iam.localhost", "/.ory/kratos/admin/identities")).toBe("IAM_HERA_UPSTREAM");
    expect(byKey("iam.localhost", "/oauth2/auth")).toBe("IAM_HYDRA_PUBLIC_UPSTREAM");
    expect(byKey("admin.iam.localhost", "/admin/identities")).toBe("IAM_ATHENA_UPSTREAM");
    // Admin API paths never reach Kratos or Hydra: only the UI answers them.
    for (const host of ["ciam.localhost", "iam.localhost"]) {
      expect(byKey(host, "/admin/identities")).toMatch(/_HERA_UPSTREAM$/);
      expect(byKey(host, "/admin/oauth2/auth/requests/login")).toMatch(/_HERA_UPSTREAM$/);
    }
  });

  it("the check fails when a CIAM route is pointed at an IAM upstream on purpose", async () => {
    const answers = await serve({ CIAM_HERA_UPSTREAM: "IAM_HERA_UPSTREAM" });
    expect(crossDomainAnswers(answers)).toContainEqual({
      host: "ciam.localhost",
      path: "/.ory/kratos/sessions/whoami",
      upstream: "IAM_HERA_UPSTREAM",
    });
  });
});

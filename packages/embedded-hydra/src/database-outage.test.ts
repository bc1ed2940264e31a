import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "./testing/clients";
import {
  errorLines,
  startHydraUnderTest,
  startHydraWithPostgres,
  stopHydraAndPostgres,
  type HydraUnderTest,
  type TestPostgres,
} from "./testing/harness";

/**
 * Postgres unavailable for 10 s under a token and client-registration load:
 * every request succeeds or gets a 503 (`temporarily_unavailable`, with
 * Retry-After — the OAuth2 endpoints too, not only the admin API), never a
 * 500 or a hang; the server recovers by itself; every client it acknowledged
 * exists exactly once. The outage is Postgres refusing new connections with
 * every open one terminated (ALTER DATABASE … ALLOW_CONNECTIONS false +
 * pg_terminate_backend). Bounded: 4 clients, ~20 s.
 */
const DATABASE = "hydra_outage";
const OUTAGE_MS = 10_000;

describe("database outage under load", () => {
  let pg: TestPostgres;
  let hydra: HydraUnderTest;
  const serverErrors: string[] = [];

  beforeAll(async () => {
    ({ postgres: pg, hydra } = await startHydraWithPostgres((server) =>
      startHydraUnderTest(server, { freshDatabase: DATABASE, logger: errorLines(serverErrors) }),
    ));
  });
  afterAll(() => stopHydraAndPostgres(hydra, pg));

  const outage = async (on: boolean) => {
    await pg.query(`ALTER DATABASE ${DATABASE} ALLOW_CONNECTIONS ${on ? "false" : "true"}`);
    if (on) await pg.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [DATABASE]);
  };

  it("answers 503 while Postgres is away, recovers without a restart, and loses or doubles no acknowledged client", async () => {
    const machine = await createClient(hydra, { grant_types: ["client_credentials"], scope: "reports.read" });
    const basic = `Basic ${Buffer.from(`${machine.id}:${machine.secret}`).toString("base64")}`;
    const statuses = new Map<string, number>();
    const problems: string[] = [];
    const acknowledged: string[] = [];
    const call = async (what: string, url: URL, init: RequestInit = {}): Promise<Response | undefined> => {
      try {
        const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
        statuses.set(`${what} ${res.status}`, (statuses.get(`${what} ${res.status}`) ?? 0) + 1);
        if (res.status >= 500 && (res.status !== 503 || res.headers.get("retry-after") === null))
          problems.push(`${what}: ${res.status} ${await res.text()}`);
        return res;
      } catch (error) {
        problems.push(`${what}: no answer (${(error as Error).name})`);
        return undefined;
      }
    };
    const pause = () => new Promise((r) => setTimeout(r, 50));

    let running = true;
    let sequence = 0;
    const grants = async () => {
      while (running) {
        const res = await call("token", new URL("oauth2/token", hydra.publicUrl), {
          method: "POST",
          headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
          body: "grant_type=client_credentials&scope=reports.read",
        });
        if (res?.status === 503) expect(((await res.json()) as { error: string }).error).toBe("temporarily_unavailable");
        else await res?.body?.cancel();
        await pause();
      }
    };
    const registrations = async () => {
      while (running) {
        const id = `outage-${process.pid}-${sequence++}`;
        const res = await call("create client", new URL("admin/clients", hydra.adminUrl), {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ client_id: id, grant_types: ["client_credentials"], scope: "reports.read" }),
        });
        if (res?.status === 201) acknowledged.push(id);
        await res?.body?.cancel();
        await pause();
      }
    };
    const authorizations = async () => {
      while (running) {
        const url = new URL("oauth2/auth", hydra.publicUrl);
        url.search = new URLSearchParams({
          client_id: machine.id,
          response_type: "code",
          scope: "openid",
          state: "s",
        }).toString();
        const res = await call("authorize", url, { redirect: "manual" });
        await res?.body?.cancel();
        await pause();
      }
    };

    const load = Promise.all([grants(), grants(), registrations(), authorizations()]);
    await new Promise((r) => setTimeout(r, 3_000));
    await outage(true);
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    await outage(false);
    await new Promise((r) => setTimeout(r, 6_000));
    running = false;
    await load;
    console.log(`database outage: ${[...statuses].map(([k, v]) => `${k}×${v}`).join(", ")}; clients acknowledged ${acknowledged.length}`);

    expect(problems.slice(0, 10)).toEqual([]);
    expect([...statuses].filter(([k]) => k.endsWith(" 503")).reduce((n, [, v]) => n + v, 0)).toBeGreaterThan(0);
    expect(serverErrors.filter((l) => !l.includes("temporarily_unavailable")).slice(0, 5)).toEqual([]);

    const { rows } = await pg.query("SELECT id FROM hydra_clients WHERE id = ANY($1)", [acknowledged], DATABASE);
    expect(rows.length).toBe(acknowledged.length);

    // Recovered by itself.
    expect((await fetch(new URL("health/ready", hydra.publicUrl))).status).toBe(200);
    const after = await fetch(new URL("oauth2/token", hydra.publicUrl), {
      method: "POST",
      headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&scope=reports.read",
    });
    expect(after.status).toBe(200);
  }, 90_000);
});

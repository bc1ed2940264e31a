import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startKratosWithPostgres,
  stopKratosAndPostgres,
  STRONG_PASSWORD,
  uniqueEmail,
  type TestKratos,
  type TestPostgres,
} from "./testing/harness";

/**
 * Postgres unavailable for 10 s under a registration and sign-in load:
 * every request succeeds or gets a 503 with Retry-After (never a 500, never
 * a hang), the server recovers by itself, and every registration it
 * acknowledged exists exactly once. The outage is Postgres refusing new
 * connections with every open one terminated (ALTER DATABASE …
 * ALLOW_CONNECTIONS false + pg_terminate_backend), which is what a stopped or
 * restarting server looks like from the pool. Bounded: 4 clients, ~20 s.
 */
const DATABASE = "ciam_outage";
const OUTAGE_MS = 10_000;

describe("database outage under load", () => {
  let pg: TestPostgres;
  let kratos: TestKratos;

  beforeAll(async () => ({ pg, kratos } = await startKratosWithPostgres(DATABASE)));
  afterAll(() => stopKratosAndPostgres(kratos, pg));

  const outage = async (on: boolean) => {
    await pg.query(`ALTER DATABASE ${DATABASE} ALLOW_CONNECTIONS ${on ? "false" : "true"}`);
    if (on) await pg.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [DATABASE]);
  };

  it("answers 503 while Postgres is away, recovers without a restart, and loses or doubles no acknowledged registration", async () => {
    const statuses = new Map<string, number>();
    const problems: string[] = [];
    const acknowledged: string[] = [];
    const count = (what: string) => statuses.set(what, (statuses.get(what) ?? 0) + 1);
    const call = async (what: string, url: string, init: RequestInit = {}): Promise<Response | undefined> => {
      try {
        const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
        count(`${what} ${res.status}`);
        if (res.status >= 500 && (res.status !== 503 || res.headers.get("retry-after") === null))
          problems.push(`${what}: ${res.status} ${await res.text()}`);
        return res;
      } catch (error) {
        problems.push(`${what}: no answer (${(error as Error).name})`);
        return undefined;
      }
    };

    let running = true;
    const client = async (n: number) => {
      while (running) {
        const email = uniqueEmail(`outage-${n}`);
        const flowRes = await call("create flow", `${kratos.publicUrl}/self-service/registration/api`);
        if (flowRes?.status !== 200) {
          await new Promise((r) => setTimeout(r, 200));
          continue;
        }
        const flow = ((await flowRes.json()) as { id: string }).id;
        const submitted = await call("register", `${kratos.publicUrl}/self-service/registration?flow=${flow}`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ method: "password", password: STRONG_PASSWORD, traits: { email } }),
        });
        if (submitted?.status === 200) {
          acknowledged.push(email);
          const token = ((await submitted.json()) as { session_token: string }).session_token;
          await call("whoami", `${kratos.publicUrl}/sessions/whoami`, { headers: { "X-Session-Token": token } });
        } else await submitted?.body?.cancel();
      }
    };

    const load = Promise.all([0, 1, 2, 3].map(client));
    await new Promise((r) => setTimeout(r, 3_000));
    const before = acknowledged.length;
    await outage(true);
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    const during = acknowledged.length - before;
    await outage(false);
    await new Promise((r) => setTimeout(r, 6_000));
    running = false;
    await load;
    console.log(
      `database outage: ${[...statuses].map(([k, v]) => `${k}×${v}`).join(", ")}; registrations acknowledged ${acknowledged.length} (${during} during the outage)`,
    );

    expect(problems.slice(0, 10)).toEqual([]);
    // The outage was real (requests were refused) and the load went on after it.
    expect([...statuses].filter(([k]) => k.endsWith(" 503")).reduce((n, [, v]) => n + v, 0)).toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThan(before + during);
    expect(kratos.logs.filter((l) => l.includes("internal error"))).toEqual([]);

    // Every acknowledged registration exists, exactly once.
    const { rows } = await pg.query(
      "SELECT traits->>'email' AS email, count(*)::int AS n FROM identities WHERE traits->>'email' = ANY($1) GROUP BY 1",
      [acknowledged],
      DATABASE,
    );
    expect(rows.length).toBe(acknowledged.length);
    expect(rows.every((r: { n: number }) => r.n === 1)).toBe(true);
    const dupes = await pg.query("SELECT traits->>'email' AS email FROM identities GROUP BY 1 HAVING count(*) > 1", [], DATABASE);
    expect(dupes.rows).toEqual([]);

    // Recovered by itself: healthy, and a registered user signs in.
    expect((await fetch(`${kratos.publicUrl}/health/ready`)).status).toBe(200);
    const login = (await (await fetch(`${kratos.publicUrl}/self-service/login/api`)).json()) as { id: string };
    const signedIn = await fetch(`${kratos.publicUrl}/self-service/login?flow=${login.id}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Forwarded-For": "192.0.2.77" },
      body: JSON.stringify({ method: "password", identifier: acknowledged[acknowledged.length - 1], password: STRONG_PASSWORD }),
    });
    expect(signedIn.status).toBe(200);
  }, 90_000);
});

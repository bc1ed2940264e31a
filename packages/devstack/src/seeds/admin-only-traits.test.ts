import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmbeddedKratos, type EmbeddedKratos } from "@olympus/embedded-kratos";
import { EMBEDDED_ADMIN_API_TOKEN } from "../embedded-defaults";
import { moveAdminOnlyTraits } from "@olympus/ory-client/identity";
import { startTestPostgres, type TestPostgres } from "@olympus/test-postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminApi } from "../ory/admin-api";
import { devConfigPath, PLATFORM_DIR } from "../paths";
import { seedAdminIdentity } from "./admin-identity";

/**
 * Upgrading a database from before roles and business attributes left the
 * traits: identities are written by a Kratos still serving the old schemas
 * (the trait re-added to a copy of today's schema), then the same database is
 * served with today's schemas and the seeds' migration runs — twice, as on
 * every start of the dev stack. Each Kratos requires its domain's admin token,
 * as the dev stack starts it.
 */

const ADMIN_LOGIN = { email: "legacy-admin@olympus.local", password: "legacy-admin-password-1", passwordFromEnv: false };

/** Today's schema file plus the given trait definitions: the schema as it was before the move. */
function legacySchema(dir: string, file: string, traits: Record<string, unknown>): string {
  const schema = JSON.parse(readFileSync(file, "utf8")) as { properties: { traits: { properties: Record<string, unknown> } } };
  Object.assign(schema.properties.traits.properties, traits);
  const out = path.join(dir, path.basename(file));
  writeFileSync(out, JSON.stringify(schema));
  return out;
}

describe("moving admin-only traits into metadata_admin, against the embedded Kratos", () => {
  let pg: TestPostgres;
  let dir: string;
  /** Servers still running (a test closes the "before" one itself). */
  const running = new Set<EmbeddedKratos>();

  beforeAll(async () => {
    pg = await startTestPostgres();
    dir = mkdtempSync(path.join(tmpdir(), "legacy-schemas-"));
  });
  afterAll(async () => {
    await Promise.all([...running].map((k) => k.close()));
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A Kratos as the dev stack starts it: its admin API requires the domain's token. */
  type GuardedKratos = EmbeddedKratos & { adminApi: AdminApi };

  async function kratos(domain: "ciam" | "iam", dsn: string, schemas?: { id: string; url: string }[]): Promise<GuardedKratos> {
    const server = await startEmbeddedKratos({
      configPath: devConfigPath(domain, "kratos"),
      dsn,
      publicPort: 0,
      adminPort: 0,
      adminToken: EMBEDDED_ADMIN_API_TOKEN[domain],
      configOverrides: { hashers: { algorithm: "bcrypt", bcrypt: { cost: 4 } }, ...(schemas ? { identity: { schemas } } : {}) },
      log: () => {},
    });
    running.add(server);
    return {
      ...server,
      adminApi: { url: server.adminUrl, token: EMBEDDED_ADMIN_API_TOKEN[domain] },
      close: async () => {
        running.delete(server);
        await server.close();
      },
    };
  }

  async function admin(
    server: GuardedKratos,
    method: string,
    url: string,
    body?: unknown,
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(`${server.adminUrl.replace(/\/$/, "")}${url}`, {
      method,
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${server.adminApi.token}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json().catch(() => ({}))) as Record<string, unknown> };
  }

  it("IAM: roles move out of the traits, the seeded admin keeps theirs, and a second run changes nothing", async () => {
    const dsn = await pg.createDatabase("iam_kratos_legacy");
    const schemaFile = path.join(PLATFORM_DIR, "dev", "iam-kratos", "identity.admin.schema.json");
    const before = await kratos("iam", dsn, [
      { id: "admin", url: legacySchema(dir, schemaFile, { iam_admin_role: { type: "string", enum: ["admin", "viewer"] } }) },
    ]);
    const create = async (email: string, traits: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
      const created = await admin(before, "POST", "/admin/identities", {
        schema_id: "admin",
        traits: { email, name: { first: "Legacy", last: "Employee" }, ...traits },
        credentials: { password: { config: { password: ADMIN_LOGIN.password } } },
        ...extra,
      });
      expect(created.status).toBe(201);
      return String(created.json.id);
    };
    const seededAdmin = await create(ADMIN_LOGIN.email, { iam_admin_role: "admin" });
    const viewer = await create("viewer@olympus.local", { iam_admin_role: "viewer" }, { metadata_admin: { team: "ops" } });
    const overridden = await create(
      "overridden@olympus.local",
      { iam_admin_role: "admin" },
      { metadata_admin: { iam_admin_role: "viewer" } },
    );
    const plain = await create("plain@olympus.local", {});
    await before.close();

    const after = await kratos("iam", dsn);
    // Today's schema refuses the stale trait: the identity cannot even be saved as it is.
    const stale = await admin(after, "GET", `/admin/identities/${viewer}`);
    expect((await admin(after, "PUT", `/admin/identities/${viewer}`, { schema_id: "admin", traits: stale.json.traits })).status).toBe(400);

    const first = await moveAdminOnlyTraits({ domain: "iam", kratosAdminUrl: after.adminUrl, adminToken: after.adminApi.token });
    expect(first.failed).toEqual([]);
    expect(first.moved.map((m) => m.id).sort()).toEqual([seededAdmin, viewer, overridden].sort());

    const stored = async (id: string) => (await admin(after, "GET", `/admin/identities/${id}`)).json;
    expect(await stored(seededAdmin)).toMatchObject({ metadata_admin: { iam_admin_role: "admin" } });
    expect(await stored(viewer)).toMatchObject({ metadata_admin: { team: "ops", iam_admin_role: "viewer" } });
    // What an administrator set in metadata_admin wins over the (possibly self-set) trait.
    expect(await stored(overridden)).toMatchObject({ metadata_admin: { iam_admin_role: "viewer" } });
    for (const id of [seededAdmin, viewer, overridden, plain]) expect((await stored(id)).traits).not.toHaveProperty("iam_admin_role");
    expect((await stored(plain)).metadata_admin ?? null).toBeNull();

    expect(await seedAdminIdentity(after.adminApi, ADMIN_LOGIN)).toBe("unchanged");
    const second = await moveAdminOnlyTraits({ domain: "iam", kratosAdminUrl: after.adminUrl, adminToken: after.adminApi.token });
    expect(second).toEqual({ scanned: 4, moved: [], failed: [] });
  });

  it("IAM: the admin seed creates the admin with the role in metadata_admin, and gives it back when it was taken", async () => {
    const server = await kratos("iam", await pg.createDatabase("iam_kratos_seed"));
    expect(await seedAdminIdentity(server.adminApi, ADMIN_LOGIN)).toBe("created");
    const listed = await admin(server, "GET", `/admin/identities?credentials_identifier=${encodeURIComponent(ADMIN_LOGIN.email)}`);
    const [created] = listed.json as unknown as { id: string; traits: Record<string, unknown>; metadata_admin: unknown }[];
    expect(created?.traits).toEqual({ email: ADMIN_LOGIN.email, name: { first: "Olympus", last: "Admin" } });
    expect(created?.metadata_admin).toEqual({ iam_admin_role: "admin" });

    expect(
      (await admin(server, "PATCH", `/admin/identities/${created?.id}`, [{ op: "add", path: "/metadata_admin", value: { note: "kept" } }]))
        .status,
    ).toBe(200);
    expect(await seedAdminIdentity(server.adminApi, ADMIN_LOGIN)).toBe("updated");
    expect((await admin(server, "GET", `/admin/identities/${created?.id}`)).json.metadata_admin).toEqual({
      note: "kept",
      iam_admin_role: "admin",
    });
    expect(await seedAdminIdentity(server.adminApi, ADMIN_LOGIN)).toBe("unchanged");
  });

  it("CIAM: customer_id and loyalty_tier move into metadata_admin; the customer keeps the rest of the profile", async () => {
    const dsn = await pg.createDatabase("ciam_kratos_legacy");
    const ciamDir = path.join(PLATFORM_DIR, "dev", "ciam-kratos");
    const legacyCustomer = legacySchema(dir, path.join(ciamDir, "identity.customer.schema.json"), {
      customer_id: { type: "string", pattern: "^[A-Z0-9-]{4,32}$" },
      loyalty_tier: { type: "string", enum: ["standard", "silver", "gold", "platinum"] },
    });
    const before = await kratos("ciam", dsn, [
      { id: "default", url: path.join(ciamDir, "identity.default.schema.json") },
      { id: "customer", url: legacyCustomer },
      { id: "company", url: path.join(ciamDir, "identity.company.schema.json") },
    ]);
    const created = await admin(before, "POST", "/admin/identities", {
      schema_id: "customer",
      traits: { email: "loyal@example.com", phone: "+491701234567", customer_id: "C-1001", loyalty_tier: "gold" },
    });
    expect(created.status).toBe(201);
    await before.close();

    const after = await kratos("ciam", dsn);
    const report = await moveAdminOnlyTraits({ domain: "ciam", kratosAdminUrl: after.adminUrl, adminToken: after.adminApi.token });
    expect(report.moved).toEqual([
      { id: created.json.id, schemaId: "customer", moved: { customer_id: "C-1001", loyalty_tier: "gold" }, dropped: [] },
    ]);
    const stored = (await admin(after, "GET", `/admin/identities/${String(created.json.id)}`)).json;
    expect(stored).toMatchObject({
      traits: { email: "loyal@example.com", phone: "+491701234567" },
      metadata_admin: { customer_id: "C-1001", loyalty_tier: "gold" },
    });
    expect(stored.traits).not.toHaveProperty("customer_id");
    expect(stored.traits).not.toHaveProperty("loyalty_tier");
  });
});

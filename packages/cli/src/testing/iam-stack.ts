import { startTestPostgres, type TestPostgres } from "@olympus/test-postgres";
import { startOryDomain, type TestOryDomain } from "./ory-stack";

export const TEST_ADMIN_TOKEN = "test-admin-token-iam-0123456789abcdef";

/**
 * A fresh IAM half for the CLI's tests: a real PostgreSQL and the embedded
 * IAM Kratos and Hydra (admin APIs behind TEST_ADMIN_TOKEN), with the
 * environment `bootstrap` and `admin add` read to reach them.
 */
export interface TestIamStack extends TestOryDomain {
  pg: TestPostgres;
  env: Record<string, string>;
  /** A call on an admin API, with the token. */
  admin(api: "kratos" | "hydra", method: string, pathAndQuery: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

export async function startTestIamStack(): Promise<TestIamStack> {
  const pg = await startTestPostgres();
  let ory: TestOryDomain;
  try {
    ory = await startOryDomain(pg, "iam", TEST_ADMIN_TOKEN);
  } catch (error) {
    await pg.stop();
    throw error;
  }
  const base = { kratos: ory.kratos.adminUrl.replace(/\/$/, ""), hydra: ory.hydra.adminUrl.replace(/\/$/, "") };
  return {
    ...ory,
    pg,
    env: {
      IAM_KRATOS_ADMIN_URL: base.kratos,
      IAM_HYDRA_ADMIN_URL: base.hydra,
      IAM_ADMIN_API_TOKEN: TEST_ADMIN_TOKEN,
    },
    async admin(api, method, pathAndQuery, body) {
      const response = await fetch(`${base[api]}${pathAndQuery}`, {
        method,
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    },
    async stop() {
      await ory.close();
      await pg.stop();
    },
  };
}

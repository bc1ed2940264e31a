import { Configuration, CourierApi } from "@ory/client";
import { TestSmtpServer } from "../../../courier/test-smtp";
import { startKratos, type TestKratos, type TestPostgres } from "../../../testing/harness";
import { startKratosWithSchemaFiles, type KratosWithSchemaFiles, type TestIdentitySchema } from "../../../testing/identity-schema-files";

export interface MailKratos extends TestKratos {
  courier: CourierApi;
}

/** Config overrides wiring Kratos to a real SMTP server, with fast courier polling and dev mode (message bodies visible). */
function mailOverrides(smtp: TestSmtpServer, overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    dev: true,
    courier: {
      smtp: { connection_uri: smtp.connectionUri, from_address: "no-reply@ciam.localhost", from_name: "Olympus" },
      worker: { pull_wait: "100ms" },
    },
    ...overrides,
  };
}

/** CIAM Kratos wired to a real SMTP server, fast courier polling and dev mode (message bodies visible). */
export async function startMailKratos(
  pg: TestPostgres,
  database: string,
  smtp: TestSmtpServer,
  overrides: Record<string, unknown> = {},
): Promise<MailKratos> {
  const kratos = await startKratos(pg, database, { configOverrides: mailOverrides(smtp, overrides) });
  return { ...kratos, courier: new CourierApi(new Configuration({ basePath: kratos.adminUrl })) };
}

/** As startMailKratos, on a Postgres server of its own with the suite's identity schemas written to files (startKratosWithSchemaFiles). */
export function startMailKratosWithSchemaFiles(
  database: string,
  schemas: readonly TestIdentitySchema[],
  smtp: TestSmtpServer,
  overrides: Record<string, unknown> = {},
): Promise<KratosWithSchemaFiles> {
  return startKratosWithSchemaFiles(database, schemas, { configOverrides: mailOverrides(smtp, overrides) });
}

// Flow-JSON helpers live in src/testing so tests outside this folder need not reach into it.
export { csrfOf, expectFailure, inputs, messageIds, responseOf } from "../../../testing/flow-json";

export async function createIdentity(kratos: TestKratos, email: string, password?: string) {
  const { data } = await kratos.identity.createIdentity({
    createIdentityBody: {
      schema_id: "default",
      traits: { email },
      ...(password ? { credentials: { password: { config: { password } } } } : {}),
    },
  });
  return data;
}

export { TestSmtpServer };

import type { AdminApi } from "@olympus/ory-client/bootstrap";
import { adminToken, httpUrl, readVariables, variable, type Env } from "./env";
import { CliError } from "./errors";
import type { Output } from "./output";

/** The IAM admin APIs `bootstrap` and `admin add` talk to — and nothing of CIAM. */
export const IAM_API_VARIABLES = {
  IAM_KRATOS_ADMIN_URL: variable(
    httpUrl(),
    "set it to IAM Kratos' admin API: http://iam-kratos:4101 in Compose, http://127.0.0.1:4101 with npm run dev",
  ),
  IAM_HYDRA_ADMIN_URL: variable(
    httpUrl(),
    "set it to IAM Hydra's admin API: http://iam-hydra:4103 in Compose, http://127.0.0.1:4103 with npm run dev",
  ),
  IAM_ADMIN_API_TOKEN: variable(
    adminToken(),
    "set it to the bearer token IAM's admin APIs require, or leave it unset where they require none",
  ),
};

export interface IamApis {
  kratos: AdminApi;
  hydra: AdminApi;
}

export function readIamApis(env: Env): IamApis {
  const values = readVariables(env, IAM_API_VARIABLES);
  const token = values.IAM_ADMIN_API_TOKEN;
  return {
    kratos: { url: values.IAM_KRATOS_ADMIN_URL, token, label: "IAM Kratos admin API" },
    hydra: { url: values.IAM_HYDRA_ADMIN_URL, token, label: "IAM Hydra admin API" },
  };
}

/**
 * Waits until each API's /health/ready answers 200 (Kratos and Hydra both
 * serve it on the admin port, without a token), saying what it waits for.
 * In Compose the bootstrap starts once the servers report healthy; the wait
 * covers a server that is up but still migrating or a manual run.
 */
export async function waitUntilReady(
  apis: readonly { api: AdminApi; variable: string }[],
  timeoutSeconds: number,
  out: Output,
): Promise<void> {
  for (const { api, variable } of apis) {
    const url = `${api.url}/health/ready`;
    const deadline = Date.now() + timeoutSeconds * 1000;
    let announced = false;
    let nextReminder = Date.now() + 10_000;
    for (;;) {
      const status = await readiness(url);
      if (status === 200) break;
      if (!announced) {
        out.progress(`waiting for the ${api.label ?? api.url} at ${url} (up to ${timeoutSeconds} s)…`);
        announced = true;
      }
      if (Date.now() >= deadline) {
        const seen = status === undefined ? "no answer" : `status ${status}`;
        throw new CliError("unreachable", [
          `${api.label ?? api.url} is not ready at ${url} after ${timeoutSeconds} s (${seen}); check that it runs and that ${variable} points at it`,
        ]);
      }
      if (Date.now() >= nextReminder) {
        out.progress(`still waiting for the ${api.label ?? api.url} (${Math.round(timeoutSeconds - (deadline - Date.now()) / 1000)} s)…`);
        nextReminder += 10_000;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    if (announced) out.progress(`${api.label ?? api.url} is ready`);
  }
}

/** Waits for both IAM admin APIs (`bootstrap` and `admin add` need both before their first call). */
export function waitForIamApis(apis: IamApis, timeoutSeconds: number, out: Output): Promise<void> {
  return waitUntilReady(
    [
      { api: apis.kratos, variable: "IAM_KRATOS_ADMIN_URL" },
      { api: apis.hydra, variable: "IAM_HYDRA_ADMIN_URL" },
    ],
    timeoutSeconds,
    out,
  );
}

async function readiness(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
    await response.body?.cancel();
    return response.status;
  } catch {
    return undefined;
  }
}

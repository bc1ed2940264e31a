import { Configuration, FrontendApi, type UiNode, type UiNodeInputAttributes, type UiText } from "@ory/client";
import { generateSync } from "otplib";
import { STRONG_PASSWORD, uniqueEmail, type TestKratos } from "./harness";

/**
 * Helpers for the second-factor tests (totp, lookup_secret, webauthn): admin
 * identities with a password, API/browser password logins, and a cookie jar
 * for @ory/client's FrontendApi so browser flows run through the SDK too.
 */

export interface HttpFailure {
  status: number;
  data: Record<string, unknown>;
}

export async function expectFailure(promise: Promise<unknown>): Promise<HttpFailure> {
  try {
    await promise;
  } catch (error) {
    // @ory/client bundles its own axios, so match the error by shape.
    const response = (error as { response?: { status: number; data: unknown } }).response;
    if (response) return { status: response.status, data: response.data as Record<string, unknown> };
    throw error;
  }
  throw new Error("expected the request to fail");
}

/** An active IAM employee with a password (IAM has no self-registration). */
export async function createEmployee(kratos: TestKratos, email = uniqueEmail("mfa")): Promise<{ id: string; email: string }> {
  const { data } = await kratos.identity.createIdentity({
    createIdentityBody: {
      schema_id: "admin",
      traits: { email, name: { first: "Grace", last: "Hopper" } },
      credentials: { password: { config: { password: STRONG_PASSWORD } } },
    },
  });
  return { id: data.id, email };
}

/** API-mode password login; returns the session token. */
export async function apiPasswordLogin(kratos: TestKratos, email: string): Promise<string> {
  const { data: flow } = await kratos.frontend.createNativeLoginFlow();
  const { data } = await kratos.frontend.updateLoginFlow({
    flow: flow.id,
    updateLoginFlowBody: { method: "password", identifier: email, password: STRONG_PASSWORD },
  });
  if (!data.session_token) throw new Error("no session token");
  return data.session_token;
}

/** Enrols TOTP in a native settings flow of the session `sessionToken`; returns the secret Kratos showed. */
export async function enrolTotp(kratos: TestKratos, sessionToken: string): Promise<string> {
  const { data: flow } = await kratos.frontend.createNativeSettingsFlow({ xSessionToken: sessionToken });
  const text = (nodeNamed(flow.ui.nodes, "totp_secret_key")?.attributes as { text?: UiText } | undefined)?.text;
  const secret = String((text?.context as { secret?: string } | undefined)?.secret ?? "");
  await kratos.frontend.updateSettingsFlow({
    flow: flow.id,
    xSessionToken: sessionToken,
    updateSettingsFlowBody: { method: "totp", totp_code: generateSync({ secret }) },
  });
  return secret;
}

export function inputAttributes(nodes: UiNode[], name: string): UiNodeInputAttributes | undefined {
  const node = nodes.find((n) => n.attributes.node_type === "input" && (n.attributes as UiNodeInputAttributes).name === name);
  return node?.attributes as UiNodeInputAttributes | undefined;
}

export function nodeNamed(nodes: UiNode[], name: string): UiNode | undefined {
  return nodes.find((n) => ("name" in n.attributes ? n.attributes.name : "id" in n.attributes ? n.attributes.id : undefined) === name);
}

export function csrfOf(nodes: UiNode[]): string {
  return String(inputAttributes(nodes, "csrf_token")?.value ?? "");
}

/**
 * A browser for @ory/client: the FrontendApi shares one headers object
 * whose Cookie header is refreshed before each call, and Set-Cookie headers
 * of every answer (success or error) are stored back.
 */
export class BrowserClient {
  readonly frontend: FrontendApi;
  private readonly cookies = new Map<string, string>();
  private readonly configuration: Configuration;

  constructor(publicUrl: string) {
    // Configuration copies baseOptions, so the copy is what gets the Cookie header.
    this.configuration = new Configuration({
      basePath: publicUrl,
      baseOptions: { headers: { Accept: "application/json" }, maxRedirects: 0 },
    });
    this.frontend = new FrontendApi(this.configuration);
  }

  async call<R extends { headers: unknown }>(fn: (api: FrontendApi) => Promise<R>): Promise<R> {
    (this.configuration.baseOptions as { headers: Record<string, string> }).headers.Cookie = [...this.cookies]
      .map(([k, v]) => `${k}=${v}`)
      .join("; ");
    try {
      const response = await fn(this.frontend);
      this.store(response.headers);
      return response;
    } catch (error) {
      const response = (error as { response?: { headers: unknown } }).response;
      if (response) this.store(response.headers);
      throw error;
    }
  }

  private store(headers: unknown): void {
    const raw = (headers as Record<string, unknown> | undefined)?.["set-cookie"];
    for (const line of Array.isArray(raw) ? (raw as string[]) : []) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /**
   * Browser password login as an SPA (JSON); leaves the session cookie in the
   * jar. Once the identity has a second factor Kratos answers 422
   * browser_location_change_required (to the aal2 login) with the aal1
   * cookie set, which this accepts too.
   */
  async passwordLogin(email: string): Promise<void> {
    const { data: flow } = await this.call((f) => f.createBrowserLoginFlow());
    try {
      await this.call((f) =>
        f.updateLoginFlow({
          flow: flow.id,
          updateLoginFlowBody: { method: "password", identifier: email, password: STRONG_PASSWORD, csrf_token: csrfOf(flow.ui.nodes) },
        }),
      );
    } catch (error) {
      const response = (error as { response?: { status: number; data?: { error?: { id?: string } } } }).response;
      if (response?.status !== 422 || response.data?.error?.id !== "browser_location_change_required") throw error;
    }
  }
}

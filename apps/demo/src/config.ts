import { z } from "zod";

/** The demo relying party's configuration, read and validated once at start-up. */
export interface DemoConfig {
  /** CIAM Hydra's issuer, exactly as its discovery document and ID tokens name it. */
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** This app's own origin as browsers reach it (the redirect URIs registered for the client hang off it). */
  publicUrl: URL;
  port: number;
  /** The interface to listen on. */
  host: string;
  scope: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  /** Cookies get `Secure` and the `__Host-` prefix when the app is served over https. */
  secureCookies: boolean;
}

const httpUrl = (example: string) =>
  z
    .string({ error: `is required, e.g. ${example}` })
    .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), `must be an http(s) URL, e.g. ${example}`);

const envSchema = z.object({
  DEMO_ISSUER_URL: httpUrl("http://ciam.localhost:3102/"),
  DEMO_CLIENT_ID: z.string({ error: "is required: the client id registered in CIAM Hydra" }).min(1, "must not be empty"),
  DEMO_CLIENT_SECRET: z.string({ error: "is required: the client's secret" }).min(1, "must not be empty"),
  DEMO_PUBLIC_URL: httpUrl("http://ciam.localhost:3002").refine((value) => {
    const url = new URL(value);
    return (url.pathname === "/" || url.pathname === "") && !url.search && !url.hash;
  }, "must be an origin without path, query or fragment, e.g. http://ciam.localhost:3002"),
  DEMO_PORT: z.coerce
    .number({ error: "must be a port number" })
    .int("must be a whole number")
    .min(1, "must be between 1 and 65535")
    .max(65535, "must be between 1 and 65535"),
  DEMO_HOST: z.string().min(1).default("127.0.0.1"),
  DEMO_SCOPE: z
    .string()
    .default("openid email profile")
    .refine((value) => value.split(" ").includes("openid"), "must include openid (the app shows ID token claims)"),
});

export class DemoConfigError extends Error {
  override name = "DemoConfigError";
}

/**
 * Parses the environment into a DemoConfig. A bad or missing value throws one
 * message naming every offending variable and what it should look like.
 */
export function loadDemoConfig(env: Record<string, string | undefined>): DemoConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new DemoConfigError(`Invalid demo configuration: ${problems.join("; ")}`);
  }
  const values = parsed.data;
  const publicUrl = new URL(values.DEMO_PUBLIC_URL);
  const origin = publicUrl.origin;
  return {
    issuer: new URL(values.DEMO_ISSUER_URL),
    clientId: values.DEMO_CLIENT_ID,
    clientSecret: values.DEMO_CLIENT_SECRET,
    publicUrl: new URL(origin),
    port: values.DEMO_PORT,
    host: values.DEMO_HOST,
    scope: values.DEMO_SCOPE,
    redirectUri: `${origin}/callback`,
    postLogoutRedirectUri: `${origin}/`,
    secureCookies: publicUrl.protocol === "https:",
  };
}

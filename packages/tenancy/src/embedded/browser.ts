import { request } from "node:http";

/*
 * A minimal browser for the isolation suite: one request to a tenant's app on
 * 127.0.0.1 with the Host and Origin a browser at that app's *.localhost origin
 * sends (Node does not resolve *.localhost), no redirects followed, every
 * Set-Cookie header returned as received.
 */

export interface BrowserAnswer {
  status: number;
  location: string;
  setCookies: string[];
  body: string;
}

export function browserRequest(
  origin: string,
  path: string,
  options: { method?: "GET" | "POST"; cookie?: string; json?: unknown } = {},
): Promise<BrowserAnswer> {
  const url = new URL(origin);
  const body = options.json === undefined ? undefined : JSON.stringify(options.json);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: url.port,
        path,
        method: options.method ?? "GET",
        timeout: 30_000,
        headers: {
          host: url.host,
          accept: "application/json",
          ...(options.cookie ? { cookie: options.cookie } : {}),
          ...(body === undefined ? {} : { "content-type": "application/json", origin: url.origin }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            location: res.headers.location ?? "",
            setCookies: res.headers["set-cookie"] ?? [],
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error(`${origin}${path}: no answer in 30 s`)));
    req.end(body);
  });
}

/** The Cookie header a browser sends back for these Set-Cookie headers (name=value pairs only). */
export function cookieHeader(setCookies: readonly string[]): string {
  return setCookies.map((header) => header.split(";")[0]?.trim() ?? "").join("; ");
}

interface FlowNode {
  attributes?: { name?: string; value?: unknown };
}

/**
 * A customer signs up with a password through the tenant's Hera (its same-origin Kratos proxy, as Ory Elements
 * does): the registration flow's CSRF cookie and token, then the form; Kratos' `session` hook signs them in.
 * Returns every cookie the browser then holds, as Set-Cookie headers.
 */
export async function signUpThroughHera(heraOrigin: string, email: string, password: string): Promise<string[]> {
  const started = await browserRequest(heraOrigin, "/.ory/kratos/self-service/registration/browser");
  if (started.status !== 200) throw new Error(`registration flow: HTTP ${started.status} ${started.body.slice(0, 200)}`);
  const flow = JSON.parse(started.body) as { id: string; ui: { nodes: FlowNode[] } };
  const csrf = flow.ui.nodes.find((node) => node.attributes?.name === "csrf_token")?.attributes?.value;
  const submitted = await browserRequest(heraOrigin, `/.ory/kratos/self-service/registration?flow=${encodeURIComponent(flow.id)}`, {
    method: "POST",
    cookie: cookieHeader(started.setCookies),
    json: { method: "password", csrf_token: csrf, traits: { email }, password },
  });
  if (submitted.status !== 200) throw new Error(`registration: HTTP ${submitted.status} ${submitted.body.slice(0, 300)}`);
  return [...started.setCookies, ...submitted.setCookies];
}

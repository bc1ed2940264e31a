/**
 * A native app's password sign-in (Kratos API flow) through a Hera's edge,
 * from Node: `kratosBrowser` is the Hera's /.ory/kratos origin. Node cannot
 * resolve *.localhost, so the call goes to 127.0.0.1 on the same port.
 */
export async function nativePasswordLogin(
  kratosBrowser: string,
  identifier: string,
  password: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const base = new URL(kratosBrowser);
  if (base.hostname.endsWith(".localhost")) base.hostname = "127.0.0.1";
  const root = base.href.replace(/\/+$/, "");
  const flow = (await (await fetch(`${root}/self-service/login/api`)).json()) as { id?: string };
  if (!flow.id) throw new Error(`no API login flow at ${root}`);
  const response = await fetch(`${root}/self-service/login?flow=${flow.id}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ method: "password", identifier, password }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

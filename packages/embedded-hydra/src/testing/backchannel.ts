import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient } from "./clients";
import { startHydraWithPostgres, stopHydraAndPostgres, type HydraUnderTest, type TestPostgres } from "./harness";
import { REDIRECT_URI } from "./oauth";

/** Where the logout tests' client is sent back after a logout, and the scope it asks for. */
export const POST_LOGOUT_URI = "http://rp.localhost:5555/bye";
export const LOGOUT_CLIENT_SCOPE = "openid offline_access";

/**
 * A relying party's back-channel logout endpoint, on a loopback port the
 * kernel picks when it binds (no port is chosen beforehand, so none can be
 * taken in between): every form POSTed to `/backchannel` is pushed onto
 * `delivered`.
 */
export interface BackchannelReceiver {
  /** The endpoint to register as a client's backchannel_logout_uri. */
  url: string;
  close(): Promise<void>;
}

export async function startBackchannelReceiver(delivered: URLSearchParams[]): Promise<BackchannelReceiver> {
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      if (req.method === "POST" && req.url === "/backchannel") delivered.push(new URLSearchParams(body));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/backchannel`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A confidential code-flow client that wants back-channel logout tokens (with `sid`) at `backchannelUrl`. */
export function createLogoutClient(
  hydra: HydraUnderTest,
  options: { redirectUri: string; postLogoutUri: string; scope: string; backchannelUrl: string },
): Promise<{ id: string; secret: string }> {
  return createClient(hydra, {
    redirect_uris: [options.redirectUri],
    post_logout_redirect_uris: [options.postLogoutUri],
    grant_types: ["authorization_code", "refresh_token"],
    scope: options.scope,
    backchannel_logout_uri: options.backchannelUrl,
    backchannel_logout_session_required: true,
  });
}

/** What the logout tests start from: a back-channel receiver, Postgres, an instance and a logout client registered with the receiver. */
export interface LogoutSuite {
  receiver: BackchannelReceiver;
  postgres: TestPostgres;
  hydra: HydraUnderTest;
  client: { id: string; secret: string };
}

/**
 * Starts a logout suite whose receiver pushes onto `delivered`; the client
 * redirects to REDIRECT_URI and POST_LOGOUT_URI with LOGOUT_CLIENT_SCOPE.
 * What did start is stopped again when a later step fails.
 */
export async function startLogoutSuite(delivered: URLSearchParams[]): Promise<LogoutSuite> {
  const receiver = await startBackchannelReceiver(delivered);
  let started: { postgres: TestPostgres; hydra: HydraUnderTest } | undefined;
  try {
    started = await startHydraWithPostgres();
    const client = await createLogoutClient(started.hydra, {
      redirectUri: REDIRECT_URI,
      postLogoutUri: POST_LOGOUT_URI,
      scope: LOGOUT_CLIENT_SCOPE,
      backchannelUrl: receiver.url,
    });
    return { receiver, ...started, client };
  } catch (error) {
    await stopLogoutSuite({ receiver, ...started });
    throw error;
  }
}

/** Closes the instance, its Postgres server and the receiver; any may be missing when a start-up failed part-way. */
export async function stopLogoutSuite(suite: Partial<Omit<LogoutSuite, "client">>): Promise<void> {
  try {
    await stopHydraAndPostgres(suite.hydra, suite.postgres);
  } finally {
    await suite.receiver?.close();
  }
}

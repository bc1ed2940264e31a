import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { hashToken } from "../src/session/tokens";

/**
 * The floor under whoami on this machine: a bare node:http server that, per
 * request, runs one prepared query fetching the session and its identity by
 * token digest and answers the row as JSON — no router, no security headers,
 * no AAL check, no Kratos JSON shaping. Whoami's rate beside this one says
 * how much the server itself costs, independent of how fast the machine is.
 */
export interface FloorServer {
  url: string;
  close: () => Promise<void>;
}

const FLOOR_SQL =
  "SELECT s.*, i.traits, i.state FROM sessions s JOIN identities i ON i.id = s.identity_id WHERE s.token_hash = $1";

export async function startFloorServer(dsn: string): Promise<FloorServer> {
  const pool = new pg.Pool({ connectionString: dsn, max: 10 });
  const server: Server = createServer((req, res) => {
    const token = req.headers["x-session-token"];
    if (typeof token !== "string") {
      res.writeHead(401).end();
      return;
    }
    pool.query({ name: "floor_session", text: FLOOR_SQL, values: [hashToken(token)] }).then(
      ({ rows }) => {
        res.writeHead(rows[0] ? 200 : 401, { "Content-Type": "application/json" });
        res.end(JSON.stringify(rows[0] ?? {}));
      },
      () => res.writeHead(503).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  };
}

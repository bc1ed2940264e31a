import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SESSION_BY_TOKEN_SQL, SESSION_BY_TOKEN_STATEMENT } from "../src/session/repository";
import { hashToken } from "../src/session/tokens";
import { Database } from "../src/storage/database";

/**
 * The floor under whoami on this machine: a bare node:http server that, per
 * request, runs whoami's own prepared statement (the same SQL text, the same
 * pool settings) and answers the row as JSON — no router, no security
 * headers, no AAL check, no Kratos JSON shaping. Whoami's rate beside this
 * one says how much the server around the query costs, independent of how
 * fast the machine is.
 */
export interface FloorServer {
  url: string;
  close: () => Promise<void>;
}

export async function startFloorServer(dsn: string): Promise<FloorServer> {
  const db = new Database(dsn);
  const server: Server = createServer((req, res) => {
    const token = req.headers["x-session-token"];
    if (typeof token !== "string") {
      res.writeHead(401).end();
      return;
    }
    db.prepared(SESSION_BY_TOKEN_STATEMENT, SESSION_BY_TOKEN_SQL, [hashToken(token)]).then(
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
      await db.close();
    },
  };
}

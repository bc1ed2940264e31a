import { startFloorServer as startBareServer, type FloorServer } from "@olympus/server-kit/bench";
import { SESSION_BY_TOKEN_SQL, SESSION_BY_TOKEN_STATEMENT } from "../src/session/repository";
import { hashToken } from "../src/session/tokens";
import { Database } from "../src/storage/database";

/**
 * The floor under whoami on this machine: per request, whoami's own
 * prepared statement (the same SQL text, the same pool settings), the row
 * answered as JSON — no router, no security headers, no AAL check, no
 * Kratos JSON shaping. Whoami's rate beside this one says how much the
 * server around the query costs, independent of how fast the machine is.
 */
export async function startFloorServer(dsn: string): Promise<FloorServer> {
  const db = new Database(dsn);
  return startBareServer(
    (req, res) => {
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
    },
    () => db.close(),
  );
}

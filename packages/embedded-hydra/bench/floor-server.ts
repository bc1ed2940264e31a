import { startFloorServer as startBareServer, type FloorServer } from "@olympus/server-kit/bench";
import pg from "pg";
import { TOKEN_LOOKUP_SQL, TOKEN_LOOKUP_STATEMENT } from "../src/storage/token-lookup";
import { accessTokenId } from "../src/tokens/jwt-access-tokens";

/**
 * The floor under introspection on this machine: per request, the form
 * body read and introspection's own lookup statement run (the same SQL
 * text, the same key: a JWT's SHA-256) for that one token, the row answered
 * as JSON — no router, no model verification, no Hydra JSON shaping, one
 * round trip per request. Introspection beside it says what the server
 * around the database costs; its per-core rate is this floor's "bounded by
 * the round trip".
 */
export async function startFloorServer(dsn: string): Promise<FloorServer> {
  const pool = new pg.Pool({ connectionString: dsn, max: 10 });
  return startBareServer(
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const token = new URLSearchParams(Buffer.concat(chunks).toString("utf8")).get("token") ?? "";
        pool.query({ name: TOKEN_LOOKUP_STATEMENT, text: TOKEN_LOOKUP_SQL, values: [[accessTokenId(token)]] }).then(
          ({ rows }) => {
            const body = JSON.stringify(rows[0] ?? { active: false });
            res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
            res.end(body);
          },
          () => res.writeHead(503).end(),
        );
      });
    },
    () => pool.end(),
  );
}

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { TOKEN_LOOKUP_SQL, TOKEN_LOOKUP_STATEMENT } from "../src/storage/token-lookup";
import { accessTokenId } from "../src/tokens/jwt-access-tokens";

/**
 * The floor under introspection on this machine: a bare node:http server
 * that reads the form body and runs introspection's own lookup statement
 * (the same SQL text, the same key: a JWT's SHA-256) for that one token, then answers the row as JSON — no
 * router, no model verification, no Hydra JSON shaping, one round trip per
 * request. Introspection beside it says what the server around the database
 * costs; its per-core rate is this floor's "bounded by the round trip".
 */
export interface FloorServer {
  url: string;
  close: () => Promise<void>;
}

export async function startFloorServer(dsn: string): Promise<FloorServer> {
  const pool = new pg.Pool({ connectionString: dsn, max: 10 });
  const server: Server = createServer((req, res) => {
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

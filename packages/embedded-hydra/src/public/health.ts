import type { ServerResponse } from "node:http";
import { sendJson } from "../errors";
import type { Db } from "../storage/db";

export const HEALTH_PATHS = new Set(["/health/alive", "/health/ready"]);
export const HEALTH_ROUTES = [...HEALTH_PATHS].map((pattern) => ({ methods: ["GET"], pattern }));

/** Hydra's health endpoints, on both ports and never behind admin auth. */
export async function handleHealth(path: string, db: Db, res: ServerResponse): Promise<void> {
  if (path === "/health/alive") {
    sendJson(res, 200, { status: "ok" });
    return;
  }
  try {
    await db.query("SELECT 1");
    sendJson(res, 200, { status: "ok" });
  } catch {
    sendJson(res, 503, { errors: { database: "the database is not reachable" } });
  }
}

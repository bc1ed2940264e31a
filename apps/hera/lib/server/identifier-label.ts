import "server-only";
import { startupConfig } from "@olympus/runtime-config/config";
import { commonIdentifierLabel, identifierLabelFromSchema, type LabelText } from "../identifier-label";

/** Schemas change with a deployment, not per request: a minute of caching spares Kratos a call per login page. */
const TTL_MS = 60_000;
let cached: { at: number; schemas: Map<string, unknown> } | undefined;

/** Kratos' identity schemas by id (its public `GET /schemas`), or undefined when Kratos cannot say. */
async function identitySchemas(): Promise<Map<string, unknown> | undefined> {
  if (cached && Date.now() - cached.at < TTL_MS) return cached.schemas;
  try {
    const response = await fetch(`${startupConfig().kratos.publicUrl}/schemas?per_page=100`, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) return undefined;
    const body: unknown = await response.json();
    if (!Array.isArray(body)) return undefined;
    const schemas = new Map<string, unknown>();
    for (const entry of body as { id?: unknown; schema?: unknown }[]) {
      if (typeof entry.id === "string") schemas.set(entry.id, entry.schema);
    }
    cached = { at: Date.now(), schemas };
    return schemas;
  } catch {
    return undefined;
  }
}

/**
 * The identifier label for a login flow: from the flow's own identity schema
 * when it names one, else the label every schema agrees on. Without an
 * answer from Kratos the flow keeps Kratos' own label.
 */
export async function identifierLabelFor(identitySchema: string | undefined): Promise<LabelText | undefined> {
  const schemas = await identitySchemas();
  if (!schemas) return undefined;
  const own = identitySchema === undefined ? undefined : schemas.get(identitySchema);
  return own === undefined ? commonIdentifierLabel([...schemas.values()]) : identifierLabelFromSchema(own);
}

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startKratosWithPostgres, stopKratosAndPostgres, type StartKratosOptions, type TestKratos, type TestPostgres } from "./harness";

/** The platform config's own default schema, for suites that keep it beside theirs. */
export const PLATFORM_DEFAULT_SCHEMA = { id: "default", url: "file:///etc/config/kratos/identity.default.schema.json" } as const;

/**
 * One `identity.schemas` entry: a schema at a URL, or one the suite writes
 * to a temporary file of its own (`document` as JSON, or `text` exactly as
 * given, for suites that read or rewrite the file's bytes).
 */
export type TestIdentitySchema = { id: string; selfservice_selectable?: boolean } & (
  { url: string } | { document: unknown } | { text: string }
);

export interface KratosWithSchemaFiles {
  pg: TestPostgres;
  kratos: TestKratos;
  /** The path of each written schema's file, by schema id. */
  files: Record<string, string>;
  /** Closes the instance and its Postgres server and removes the schema files. */
  stop(): Promise<void>;
}

/**
 * Writes the suite's identity schemas to files and starts an instance on a
 * Postgres server of its own with `identity.schemas` listing them in order;
 * the first is the default schema unless `defaultSchemaId` names another.
 * The files are removed again when the start fails.
 */
export async function startKratosWithSchemaFiles(
  database: string,
  schemas: readonly TestIdentitySchema[],
  options: StartKratosOptions & { defaultSchemaId?: string } = {},
): Promise<KratosWithSchemaFiles> {
  const { defaultSchemaId, ...startOptions } = options;
  const dir = await mkdtemp(path.join(tmpdir(), `kratos-${database}-`));
  const removeDir = () => rm(dir, { recursive: true, force: true });
  try {
    const files: Record<string, string> = {};
    const entries = [];
    for (const schema of schemas) {
      const { id, selfservice_selectable } = schema;
      let url: string;
      if ("url" in schema) url = schema.url;
      else {
        const file = path.join(dir, `${id}.schema.json`);
        await writeFile(file, "text" in schema ? schema.text : JSON.stringify(schema.document));
        files[id] = file;
        url = `file://${file}`;
      }
      entries.push(selfservice_selectable === undefined ? { id, url } : { id, url, selfservice_selectable });
    }
    const { pg, kratos } = await startKratosWithPostgres(database, {
      ...startOptions,
      configOverrides: {
        ...startOptions.configOverrides,
        identity: { default_schema_id: defaultSchemaId ?? schemas[0]?.id, schemas: entries },
      },
    });
    return {
      pg,
      kratos,
      files,
      stop: async () => {
        try {
          await stopKratosAndPostgres(kratos, pg);
        } finally {
          await removeDir();
        }
      },
    };
  } catch (error) {
    await removeDir();
    throw error;
  }
}

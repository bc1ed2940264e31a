import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { tenantNameProblem } from "./name";
import { allocateSlot, blockPorts, portBlock } from "./ports";
import { tenantSchema, type Tenant } from "./tenant";

export const REGISTRY_FILE = "tenants.json";

const registrySchema = z.object({ version: z.literal(1), tenants: z.array(tenantSchema) });
export type Registry = z.infer<typeof registrySchema>;

export class RegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RegistryError";
  }
}

/** The registry in `root`, empty when the file does not exist yet. */
export async function readRegistry(root: string): Promise<Registry> {
  const file = join(root, REGISTRY_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, tenants: [] };
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RegistryError(`${file} is not JSON; restore it from a backup`);
  }
  const parsed = registrySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RegistryError(`${file} is invalid at ${issue?.path.join(".") || "the top"}: ${issue?.message ?? "unknown problem"}`);
  }
  return parsed.data;
}

/**
 * Writes the registry through a temporary file and a rename, so a crash
 * leaves the old registry or the new one, never half of one.
 */
export async function writeRegistry(root: string, registry: Registry): Promise<void> {
  await mkdir(root, { recursive: true });
  const file = join(root, REGISTRY_FILE);
  const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(registrySchema.parse(registry), null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export function findTenant(registry: Registry, name: string): Tenant | undefined {
  return registry.tenants.find((tenant) => tenant.name === name);
}

/**
 * A new tenant record, or why there cannot be one: an invalid or taken name,
 * or no free port block. Checks the new block against every registered one.
 */
export function planTenant(
  registry: Registry,
  request: Omit<Tenant, "slot" | "createdAt">,
  now = new Date(),
  /** The lowest slot to consider (OLYMPUS_TENANTS_FIRST_SLOT: keeps tests off a developer's own tenants). */
  firstSlot = 0,
): Tenant {
  const problem = tenantNameProblem(request.name);
  if (problem) throw new RegistryError(problem);
  if (findTenant(registry, request.name)) throw new RegistryError(`a tenant named "${request.name}" already exists`);
  const slot = allocateSlot(
    registry.tenants.map((tenant) => tenant.slot),
    firstSlot,
  );
  const ports = new Set(blockPorts(portBlock(slot)));
  for (const other of registry.tenants) {
    if (blockPorts(portBlock(other.slot)).some((port) => ports.has(port)))
      throw new RegistryError(`port block ${slot} overlaps tenant "${other.name}"; the registry is inconsistent`);
  }
  return tenantSchema.parse({ ...request, slot, createdAt: now.toISOString() });
}

export function withTenant(registry: Registry, tenant: Tenant): Registry {
  return {
    version: 1,
    tenants: [...registry.tenants.filter((t) => t.name !== tenant.name), tenant].sort((a, b) => a.name.localeCompare(b.name)),
  };
}

export function withoutTenant(registry: Registry, name: string): Registry {
  return { version: 1, tenants: registry.tenants.filter((tenant) => tenant.name !== name) };
}

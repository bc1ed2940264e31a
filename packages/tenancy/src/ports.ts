import type { Domain } from "./domain";

/**
 * Each tenant gets a block of 100 ports, base = 10000 + 100 × slot. Inside
 * the block every service sits at the offset it has in the single-tenant
 * layout: the last two digits of 3000/3001/3100-3103 for CIAM, plus 50 for
 * IAM (4000 → +50, 4103 → +63), Postgres at +90. Blocks end below Linux's
 * ephemeral range (32768), so no outgoing connection can take a tenant's port.
 */
export const PORT_BASE = 10_000;
export const PORT_BLOCK_SIZE = 100;
export const EPHEMERAL_PORT_START = 32_768;
export const MAX_SLOT = Math.floor((EPHEMERAL_PORT_START - PORT_BASE) / PORT_BLOCK_SIZE) - 1;

export type ServiceName = "hera" | "athena" | "kratosPublic" | "kratosAdmin" | "hydraPublic" | "hydraAdmin";

const SERVICE_OFFSET: Record<ServiceName, number> = {
  hera: 0,
  athena: 1,
  kratosPublic: 10,
  kratosAdmin: 11,
  hydraPublic: 12,
  hydraAdmin: 13,
};
const DOMAIN_OFFSET: Record<Domain, number> = { ciam: 0, iam: 50 };
const POSTGRES_OFFSET = 90;

/**
 * Where an embedded tenant's app server itself listens (127.0.0.1) while the supervisor holds its public port to
 * start it on demand (embedded/app-gate.ts): 20 above the public port (CIAM +20/+21, IAM +70/+71), inside the
 * tenant's own block and clear of every other service's offset.
 */
export function internalAppPort(block: PortBlock, domain: Domain, app: "hera" | "athena"): number {
  return block[domain][app] + 20;
}

/** The single-tenant port of each service, which containers keep listening on. */
export const CONTAINER_PORT: Record<Domain, Record<ServiceName, number>> = {
  ciam: { hera: 3000, athena: 3001, kratosPublic: 3100, kratosAdmin: 3101, hydraPublic: 3102, hydraAdmin: 3103 },
  iam: { hera: 4000, athena: 4001, kratosPublic: 4100, kratosAdmin: 4101, hydraPublic: 4102, hydraAdmin: 4103 },
};

export interface PortBlock {
  slot: number;
  base: number;
  ciam: Record<ServiceName, number>;
  /** Reserved even for a CIAM-only tenant, so adding IAM later moves nothing. */
  iam: Record<ServiceName, number>;
  postgres: number;
}

export function portBlock(slot: number): PortBlock {
  if (!Number.isInteger(slot) || slot < 0 || slot > MAX_SLOT) throw new RangeError(`port slot ${slot} is outside 0-${MAX_SLOT}`);
  const base = PORT_BASE + PORT_BLOCK_SIZE * slot;
  const ports = (domain: Domain) =>
    Object.fromEntries(
      (Object.keys(SERVICE_OFFSET) as ServiceName[]).map((service) => [service, base + DOMAIN_OFFSET[domain] + SERVICE_OFFSET[service]]),
    ) as Record<ServiceName, number>;
  return { slot, base, ciam: ports("ciam"), iam: ports("iam"), postgres: base + POSTGRES_OFFSET };
}

/** Every port of the block, sorted. */
export function blockPorts(block: PortBlock): number[] {
  return [...Object.values(block.ciam), ...Object.values(block.iam), block.postgres].sort((a, b) => a - b);
}

/**
 * The lowest slot no registered tenant holds, checked port by port against
 * every registered block (a registry edited by hand could hold overlapping
 * slots) and against the ephemeral range.
 */
export function allocateSlot(taken: readonly number[], firstSlot = 0): number {
  const used = new Set(taken.flatMap((slot) => blockPorts(portBlock(slot))));
  for (let slot = firstSlot; slot <= MAX_SLOT; slot++) {
    const ports = blockPorts(portBlock(slot));
    if (ports.some((port) => used.has(port) || port >= EPHEMERAL_PORT_START)) continue;
    return slot;
  }
  throw new Error(`every port slot (0-${MAX_SLOT}) is taken; remove a tenant first`);
}

import type { Domain } from "../tenant";
import type { App } from "./app-env";

/** One app of one domain of a tenant, as the run state names its process. */
export type TenantApp = `${Domain}-${App}`;

/** Which apps a tenant starts: all that are built (true), none (false), or only these. */
export type AppSelection = boolean | readonly TenantApp[];

export function selects(selection: AppSelection, app: TenantApp): boolean {
  return typeof selection === "boolean" ? selection : selection.includes(app);
}

const TENANT_APP = /^(ciam|iam)-(hera|athena)$/;

/** The supervisor's own flags, as `startEmbeddedTenant` passes them: `--no-apps`, `--apps=ciam-hera,iam-athena`, or neither. */
export function appSelectionFlags(selection: AppSelection): string[] {
  if (selection === true) return [];
  if (selection === false) return ["--no-apps"];
  return [`--apps=${selection.join(",")}`];
}

export function parseAppSelection(flags: readonly string[]): AppSelection {
  if (flags.includes("--no-apps")) return false;
  const only = flags.find((flag) => flag.startsWith("--apps="));
  if (only === undefined) return true;
  const apps = only.slice("--apps=".length).split(",").filter(Boolean);
  for (const app of apps) if (!TENANT_APP.test(app)) throw new Error(`--apps: unknown app ${app}`);
  return apps as TenantApp[];
}

import type { Command } from "../command";
import { tenantCreateCommand } from "./tenant-create";
import { tenantListCommand, tenantStatusCommand } from "./tenant-list";
import { tenantRemoveCommand } from "./tenant-remove";
import { tenantStartCommand, tenantStopCommand } from "./tenant-run";
import { defaultTenantDependencies, type TenantDependencies } from "./tenant-support";
import { tenantUpgradeCommand } from "./tenant-upgrade";

/** `olympus tenant …`, with the runner, fetch and prompt injectable so tests need no Docker or terminal. */
export function createTenantCommands(deps: TenantDependencies = defaultTenantDependencies): Command[] {
  return [
    tenantCreateCommand,
    tenantListCommand(deps),
    tenantStatusCommand(deps),
    tenantUpgradeCommand(deps),
    tenantRemoveCommand(deps),
    tenantStartCommand,
    tenantStopCommand,
  ];
}

export const tenantCommands: readonly Command[] = createTenantCommands();

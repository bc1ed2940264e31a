import type { Deps } from "../../deps";
import type { StrategyRegistry } from "../strategy/registry";

/**
 * What the flow layer works with: every service plus the strategies it asks
 * ("is this submission yours?", nodes, ordering). Strategies themselves only
 * see `Deps`, so they never depend on the registry that lists them.
 */
export interface FlowDeps extends Deps {
  strategies: StrategyRegistry;
}

import type { KratosConfig } from "../../config/load";
import type { Deps } from "../../deps";
import type { UiText } from "../../ui/messages";
import type { SortOptions } from "../../ui/sort";
import type { StrategyContext } from "../strategy/strategy";
import type { Flow, FlowKind } from "./flow";

/** What the shared flow engine needs to know about one flow kind; each flow folder exports one. */
export interface FlowDefinition {
  kind: FlowKind;
  initialState: string;
  enabled(config: KratosConfig): boolean;
  uiUrl(config: KratosConfig): string | undefined;
  lifespanMs(config: KratosConfig): number;
  expiredMessage(expiredAt: Date): UiText;
  noStrategyMessage(): UiText;
  sort(deps: Deps, flow: Flow): SortOptions;
  /** Adds the nodes of every applicable strategy to a fresh UI. */
  populate(flow: Flow, ctx: StrategyContext): Promise<void>;
  toJson(flow: Flow, deps: Deps): Promise<Record<string, unknown>> | Record<string, unknown>;
}

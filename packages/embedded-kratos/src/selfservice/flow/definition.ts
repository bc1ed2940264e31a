import type { KratosConfig } from "../../config/load";
import type { UiText } from "../../ui/messages";
import type { SortOptions } from "../../ui/sort";
import type { StrategyContext } from "../strategy/strategy";
import type { FlowDeps } from "./flow-deps";
import type { Flow, FlowFields } from "./flow";

/** What the shared flow engine needs to know about one flow kind; each flow folder exports one. */
export interface FlowDefinition<F extends Flow = Flow> {
  kind: F["kind"];
  /** Whether a flow is of this kind (flows come back from storage as any kind). */
  is(flow: Flow): flow is F;
  /** A new flow of this kind from the fields every kind has. */
  create(fields: FlowFields): F;
  /** What the replacement of an expired flow keeps from it. */
  carryOver(expired: F, replacement: F): void;
  initialState: string;
  /** The initial state when configuration decides it (recovery v2); `initialState` otherwise. */
  initialStateFor?(config: KratosConfig): string;
  enabled(config: KratosConfig): boolean;
  uiUrl(config: KratosConfig): string | undefined;
  lifespanMs(config: KratosConfig): number;
  expiredMessage(expiredAt: Date): UiText;
  noStrategyMessage(): UiText;
  /**
   * How the kind's handler sorts its form (login, registration, settings). A
   * kind without one is never sorted (Kratos' recovery and verification): its
   * strategies build the whole form, CSRF token included, in Kratos' order.
   */
  sort?(deps: FlowDeps, flow: F): SortOptions;
  /** Adds the nodes of every applicable strategy to a fresh UI. */
  populate(deps: FlowDeps, flow: F, ctx: StrategyContext): Promise<void>;
  /** The flow's public JSON: exactly the fields Kratos' flow of this kind renders, nothing internal. */
  toJson(flow: F, deps: FlowDeps): Promise<Record<string, unknown>> | Record<string, unknown>;
}

import type { KratosConfig } from "../../config/load";
import type { Flow, FlowKind } from "../flow/flow";
import type { NodeGroup } from "../../ui/node";
import { endpointDisabled } from "./disabled-endpoint";
import type { FlowStrategy, Strategy, StrategyContext, Submission } from "./strategy";

/** A strategy that takes part in flows of kind K. */
export type StrategyFor<K extends FlowKind> = Strategy & Required<Pick<Strategy, K>>;

/**
 * The strategies config enables, in registration order — what the flows ask
 * instead of knowing strategies by name (Kratos' AllLoginStrategies & co.).
 */
export class StrategyRegistry {
  /**
   * The strategies whose tables, routes and workers the server sets up: those
   * enabled at start-up and those that can be switched on by a config reload.
   */
  readonly served: readonly Strategy[];
  /** The known strategies the server does not serve (off at start-up). */
  readonly unserved: readonly Strategy[];
  private readonly secrets: ReadonlySet<string>;

  constructor(
    private readonly config: KratosConfig,
    private readonly all: readonly Strategy[],
  ) {
    this.served = all.filter((s) => s.enabled(config) || s.switchableAtRunTime === true);
    this.unserved = all.filter((s) => !this.served.includes(s));
    this.secrets = new Set(all.flatMap((s) => s.secretInputs ?? []));
  }

  /** The strategies the current config enables (the config object is updated in place on reload). */
  get enabled(): readonly Strategy[] {
    return this.served.filter((s) => s.enabled(this.config));
  }

  byMethod(method: string): Strategy | undefined {
    return this.enabled.find((s) => s.id === method);
  }

  for<K extends FlowKind>(kind: K): StrategyFor<K>[] {
    return this.enabled.filter((s): s is StrategyFor<K> => s[kind] !== undefined);
  }

  /**
   * The first strategy responsible for a submission, asked in registration
   * order as Kratos' handlers loop over their strategies and skip those
   * answering ErrStrategyNotResponsible. Disabled strategies are asked too
   * (All<Kind>Strategies lists every known one): the flow refuses a disabled
   * one with `refuseIfDisabled`. With `after`, only the strategies after that
   * one are asked: it gave the submission up partway through its own checks.
   */
  responsibleFor<K extends FlowKind>(kind: K, submission: Submission, ctx: StrategyContext, after?: Strategy): StrategyFor<K> | undefined {
    const enabled = this.enabled;
    return this.asked(after)
      .filter((s): s is StrategyFor<K> => s[kind] !== undefined && (s.disabledIsNotResponsible !== true || enabled.includes(s)))
      .find((s) => {
        const part = flowPart(s, kind);
        return part?.responsible ? part.responsible(submission, ctx) : submission.method === s.id;
      });
  }

  /**
   * flow.MethodEnabledAndAllowed once the method matched: a strategy config
   * has off answers herodot's 404 with EndpointDisabledMessage, through the
   * flow's error handler, instead of handling the submission. The flow asks
   * at each `step`; the strategy's `enabledCheck` says at which one its
   * Kratos handler checks (`in-submit`: never here, `submit` does).
   */
  refuseIfDisabled(kind: FlowKind, strategy: Strategy | undefined, step: "first" | "after-decode", submission?: Submission): void {
    if (strategy === undefined || (flowPart(strategy, kind)?.enabledCheck ?? "first") !== step) return;
    if (submission && flowPart(strategy, kind)?.skipsEnabledCheck?.(submission)) return;
    if (!this.enabled.includes(strategy)) throw endpointDisabled();
  }

  /**
   * Runs the `screen` of every strategy Kratos asks before the responsible
   * one (all of them when none is): its handlers loop over
   * All<Kind>Strategies, which lists every known strategy whether config
   * enables it or not, in registration order. With `after`, from the
   * strategy after that one (see `responsibleFor`).
   */
  async screenBefore<K extends FlowKind>(
    kind: K,
    submission: Submission,
    ctx: StrategyContext,
    responsible: Strategy | undefined,
    after?: Strategy,
  ): Promise<void> {
    for (const strategy of this.asked(after)) {
      if (strategy === responsible) return;
      await flowPart(strategy, kind)?.screen?.(submission, ctx);
    }
  }

  /** Every known strategy in registration order, or those after `after`. */
  private asked(after: Strategy | undefined): readonly Strategy[] {
    return after === undefined ? this.all : this.all.slice(this.all.indexOf(after) + 1);
  }

  /** Input names no form ever echoes back (every known strategy's secrets, enabled or not). */
  isSecretInput(name: string): boolean {
    return this.secrets.has(name);
  }

  /** The group order of a flow kind's UI: the strategies by their weight for that kind, `default` at weight 0. */
  groupOrder(kind: FlowKind): NodeGroup[] {
    const weighted = this.enabled.flatMap((s) => {
      const weight = s.nodeOrder[kind];
      return weight === undefined ? [] : [{ group: s.group, weight }];
    });
    // `default` weighs 0: a negative weight puts a group before the flow's own nodes (Kratos lists `oidc` first on login and registration).
    const sorted = weighted.sort((a, b) => a.weight - b.weight);
    return [
      ...sorted.filter((w) => w.weight < 0).map((w) => w.group),
      "default",
      ...sorted.filter((w) => w.weight >= 0).map((w) => w.group),
    ];
  }

  /** Node groups ordered by key among the `default` nodes. */
  interleavedWithDefault(): NodeGroup[] {
    return this.enabled.filter((s) => s.sortsWithDefault).map((s) => s.group);
  }

  /** The inputs of those strategies (where the sort keys place them among the flow's own inputs), by strategy. */
  interleavedInputs(): { strategyId: string; inputs: readonly string[] }[] {
    return this.enabled.filter((s) => s.sortsWithDefault).map((s) => ({ strategyId: s.id, inputs: s.secretInputs ?? [] }));
  }

  /** Credential types whose identifiers the identity schema declares. */
  schemaIdentifierTypes(): string[] {
    return this.all.filter((s) => s.identifiersFromSchema).map((s) => s.id);
  }
}

/** A strategy's part in one flow kind, whatever that kind's result type. */
function flowPart(strategy: Strategy, kind: FlowKind): FlowStrategy<Flow, unknown> | undefined {
  return strategy[kind];
}

/**
 * A bounded load generator: a few virtual clients, each running its list of
 * journeys round-robin until told to stop — or until the request budget or
 * the time limit is spent, so a run can never grow without bound.
 */
import { VirtualClient, type Journey, type JourneyContext } from "./journeys";

export interface LoadPlan {
  /** One entry per virtual client: the journeys it repeats, in order. */
  clients: Journey[][];
  /** Stop once this many requests were sent in total. */
  maxRequests: number;
  /** Stop after this long whatever happens. */
  maxMs: number;
  /** Pause between two journeys of one client, so cheap steps do not drown the rest. */
  pauseMs: number;
}

export interface RunningLoad {
  /** Asks every client to finish its current journey and stop; resolves when all have. */
  stop(): Promise<void>;
}

/** A client whose step got a 503 waits this long before its next journey, as a polite client would. */
const BACKOFF_AFTER_REFUSAL_MS = 200;

export function startLoad(context: JourneyContext, plan: LoadPlan): RunningLoad {
  let stopping = false;
  const deadline = Date.now() + plan.maxMs;
  const keepGoing = () => !stopping && Date.now() < deadline && context.recorder.totals().requests < plan.maxRequests;

  const runClient = async (journeys: Journey[], index: number) => {
    const client = new VirtualClient(index);
    for (let round = 0; keepGoing(); round++) {
      const journey = journeys[round % journeys.length];
      if (!journey) return;
      const before = context.recorder.totals();
      try {
        await journey(context, client);
      } catch (error) {
        // A journey must not throw (the recorder turns every failure into a problem); if one does, it is one too.
        context.recorder.problem(`journey threw: ${error instanceof Error ? error.message : String(error)}`);
      }
      const refused = context.recorder.totals().unavailable > before.unavailable;
      await new Promise((r) => setTimeout(r, refused ? BACKOFF_AFTER_REFUSAL_MS : plan.pauseMs));
    }
  };

  const done = Promise.all(plan.clients.map(runClient));
  return {
    stop: async () => {
      stopping = true;
      await done;
    },
  };
}

import { SETTINGS_CHANGED_CHANNEL } from "@olympus/athena-store/settings";
import { syncKratosOverlay, type SyncKratosOverlayOptions, type SyncResult } from "./sync";

export interface WatchKratosOverlayOptions extends SyncKratosOverlayOptions {
  /** The fallback poll, for notifications missed while the listening connection was down. Default one minute. */
  pollIntervalMs?: number;
  /** How long to wait before listening again after the connection is lost. Default five seconds. */
  reconnectDelayMs?: number;
  /** After every sync, written or not. */
  onSync?: (result: SyncResult) => void;
  /** A sync or the listening connection failed; the watcher keeps going. */
  onError?: (error: Error) => void;
}

export interface KratosOverlayWatcher {
  /** Syncs now (and once more if a change arrives meanwhile); resolves with that sync's result. */
  syncNow(): Promise<SyncResult>;
  /** Stops listening and polling; waits for a sync under way. */
  stop(): Promise<void>;
}

/** What the watcher uses of a pooled pg client: one connection held for LISTEN. */
interface ListenClient {
  query(sql: string): Promise<unknown>;
  on(event: "notification", listener: (message: { channel: string; payload?: string }) => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  release(error?: Error | boolean): void;
}

/**
 * Keeps the overlay file in step with the domain's settings: syncs once at
 * start (and throws if that fails, so a deployment notices at once), then
 * again on every settings change the store announces with NOTIFY, and on a
 * slow poll in case a notification was missed (a dropped connection, a
 * write by something other than the store). Syncs never overlap; changes
 * arriving during a sync cause one more.
 */
export async function watchKratosOverlay(options: WatchKratosOverlayOptions): Promise<KratosOverlayWatcher> {
  const onError = options.onError ?? ((error: Error) => console.error(`kratos-settings: ${error.message}`));
  let stopped = false;
  let running: Promise<SyncResult> | undefined;
  let again = false;
  /** The LISTEN connection, with a release that runs once (an error after stop() or a second error must not release it again). */
  let listener: { client: ListenClient; release: (error?: Error) => void } | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;

  const runSync = async (): Promise<SyncResult> => {
    const result = await syncKratosOverlay(options);
    options.onSync?.(result);
    return result;
  };

  const syncNow = (): Promise<SyncResult> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        let result = await runSync();
        while (again && !stopped) {
          again = false;
          result = await runSync();
        }
        return result;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  const syncInBackground = () => {
    if (!stopped) syncNow().catch((error: unknown) => onError(asError(error)));
  };

  const listen = async () => {
    if (stopped) return;
    let client: ListenClient | undefined;
    let releaseClient: ((error?: Error) => void) | undefined;
    try {
      client = (await options.pool.connect()) satisfies ListenClient;
      const connected = client;
      let released = false;
      const release = (error?: Error) => {
        if (released) return;
        released = true;
        // Destroyed, never returned to the pool: it carries this watcher's LISTEN and event handlers.
        connected.release(error ?? true);
      };
      releaseClient = release;
      connected.on("notification", (message) => {
        if (message.channel === SETTINGS_CHANGED_CHANNEL && message.payload === options.domain) syncInBackground();
      });
      connected.on("error", (error) => {
        onError(new Error(`listening for settings changes failed, retrying: ${error.message}`));
        if (listener?.client === connected) listener = undefined;
        release(error);
        scheduleListen();
      });
      await connected.query(`LISTEN ${SETTINGS_CHANGED_CHANNEL}`);
      if (stopped) {
        release();
        return;
      }
      listener = { client: connected, release };
      // Changes made while the connection was down were not announced.
      if (reconnectTimer !== undefined || listenAttempts > 0) syncInBackground();
      listenAttempts++;
    } catch (error) {
      if (releaseClient) releaseClient(asError(error));
      else client?.release(asError(error));
      onError(new Error(`cannot listen for settings changes, retrying: ${asError(error).message}`));
      scheduleListen();
    }
  };
  let listenAttempts = 0;
  const scheduleListen = () => {
    if (stopped || reconnectTimer) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      void listen();
    }, options.reconnectDelayMs ?? 5_000);
    reconnectTimer.unref();
  };

  await syncNow();
  await listen();
  const poll = setInterval(syncInBackground, options.pollIntervalMs ?? 60_000);
  poll.unref();

  return {
    syncNow,
    async stop() {
      stopped = true;
      clearInterval(poll);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      const current = listener;
      listener = undefined;
      if (current) {
        await current.client.query(`UNLISTEN ${SETTINGS_CHANGED_CHANNEL}`).catch(() => undefined);
        current.release();
      }
      await running?.catch(() => undefined);
    },
  };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Resolves true when `promise` settles within `ms`, false otherwise. The timer
 * is a normal (ref'd) one and is cleared as soon as the promise wins: while a
 * stop waits for a child to exit, nothing else may be keeping Node alive.
 */
export function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([promise.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs `onAbort` when `signal` aborts — at once if it already has (a plain
 * addEventListener would never fire then). Returns the unsubscribe function.
 */
export function whenAborted(signal: AbortSignal | undefined, onAbort: () => void): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    onAbort();
    return () => {};
  }
  signal.addEventListener("abort", onAbort, { once: true });
  return () => signal.removeEventListener("abort", onAbort);
}

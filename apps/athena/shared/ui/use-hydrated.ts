"use client";

import { useSyncExternalStore } from "react";

const neverChanges = () => () => {};

/**
 * False in the server render and until React has hydrated this component,
 * true afterwards. A control whose handler only exists once hydrated (a
 * dialog opened by onClick) stays disabled until then: a click on the
 * server-rendered button would otherwise do nothing at all.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    neverChanges,
    () => true,
    () => false,
  );
}

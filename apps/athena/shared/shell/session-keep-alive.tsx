"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { SESSION_KEEPALIVE_SECONDS } from "@/shared/auth/policy";

/**
 * The session cookie expires after a short idle time. While the employee is
 * active (pointer, keys, scroll), this asks next-auth's session endpoint at
 * most once a minute, which re-issues the cookie with a fresh expiry; once
 * the session is gone (idle, absolute cap, signed out elsewhere, or ended
 * when IAM refused to re-validate it), the page goes to sign-in.
 */
export function SessionKeepAlive() {
  const router = useRouter();
  useEffect(() => {
    let last = Date.now();
    let inFlight = false;
    const onActivity = () => {
      if (inFlight || Date.now() - last < SESSION_KEEPALIVE_SECONDS * 1000) return;
      inFlight = true;
      last = Date.now();
      fetch("/api/auth/session", { credentials: "same-origin", cache: "no-store" })
        .then((r) => r.json() as Promise<{ user?: unknown }>)
        .then((session) => {
          if (!session.user) router.replace("/signin?error=SessionRequired");
        })
        .catch(() => undefined)
        .finally(() => {
          inFlight = false;
        });
    };
    const events = ["pointerdown", "keydown", "scroll", "visibilitychange"] as const;
    for (const e of events) window.addEventListener(e, onActivity, { passive: true });
    return () => {
      for (const e of events) window.removeEventListener(e, onActivity);
    };
  }, [router]);
  return null;
}

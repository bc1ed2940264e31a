import type { Middleware } from "@ory/client-fetch";
import { CAPTCHA_FIELD } from "@/lib/captcha-field";

/**
 * The solved ALTCHA payload between the widget and Ory Elements' next
 * submission. Elements posts JSON built by the SDK's serialisers, which keep
 * only the fields Kratos' API names, so the payload is added to the body
 * after them, by an SDK middleware — as the `altcha` field a plain form post
 * carries too, so Hera's edge reads one field either way. A payload goes
 * with one submission only (the edge accepts each challenge once); taking
 * it tells the widget to solve a fresh one for the next.
 */
let solved: string | undefined;
const takers = new Set<() => void>();

export function setCaptchaPayload(payload: string | undefined): void {
  solved = payload;
}

/** Calls `listener` each time a submission took the payload; returns the unsubscribe. */
export function onCaptchaPayloadTaken(listener: () => void): () => void {
  takers.add(listener);
  return () => takers.delete(listener);
}

export const captchaPayloadMiddleware: Middleware = {
  pre({ url, init }) {
    if (
      solved === undefined ||
      (init.method ?? "GET").toUpperCase() !== "POST" ||
      typeof init.body !== "string" ||
      !url.includes("/self-service/")
    )
      return Promise.resolve();
    let body: unknown;
    try {
      body = JSON.parse(init.body);
    } catch {
      return Promise.resolve();
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) return Promise.resolve();
    const payload = solved;
    solved = undefined;
    for (const taker of takers) taker();
    return Promise.resolve({ url, init: { ...init, body: JSON.stringify({ ...body, [CAPTCHA_FIELD]: payload }) } });
  },
};

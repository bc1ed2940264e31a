"use client";

import { useEffect, useRef, useState } from "react";
import type { OryNodeCaptchaProps } from "@ory/elements-react";
import { CAPTCHA_CHALLENGE_PATH, CAPTCHA_FIELD } from "@/lib/captcha-field";
import { onCaptchaPayloadTaken, setCaptchaPayload } from "./captcha-payload";

type WidgetState = { state?: string; payload?: string };

/**
 * Ory Elements' `Node.Captcha`: the ALTCHA widget (a web component, about
 * 35 kB gzip, loaded only when a flow carries the CAPTCHA node). It fetches
 * a challenge from Hera, solves it in Web Workers as soon as the form shows,
 * and puts the solution in the form's `altcha` field (plain form posts) and
 * in Elements' next submission (captcha-payload.ts). No image, no puzzle: a
 * screen reader hears a checkbox that ticks itself. Without JavaScript the
 * proof of work cannot run, and the form says so.
 */
export function Captcha(_props: OryNodeCaptchaProps) {
  const host = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let cancelled = false;
    let widget: HTMLElement | undefined;
    let unsubscribe = () => {};
    import("altcha")
      .then(() => {
        const container = host.current;
        if (cancelled || !container) return;
        const element = document.createElement("altcha-widget");
        element.setAttribute("challenge", CAPTCHA_CHALLENGE_PATH);
        element.setAttribute("name", CAPTCHA_FIELD);
        element.setAttribute("auto", "onload");
        // The footer links to altcha.org: nothing a person signing in needs, and unreachable when air-gapped.
        element.setAttribute("configuration", JSON.stringify({ hideFooter: true }));
        element.addEventListener("statechange", (event) => {
          const { state, payload } = (event as CustomEvent<WidgetState>).detail ?? {};
          setCaptchaPayload(state === "verified" ? payload : undefined);
        });
        container.append(element);
        widget = element;
        unsubscribe = onCaptchaPayloadTaken(() => {
          element.reset();
          void element.verify();
        });
      })
      .catch(() => setFailed(true));
    return () => {
      cancelled = true;
      unsubscribe();
      widget?.remove();
      setCaptchaPayload(undefined);
    };
  }, []);
  return (
    <div data-testid="hera/captcha" className="flex flex-col gap-2">
      <div ref={host} />
      <noscript>
        <p data-testid="hera/captcha-needs-javascript" className="text-interface-foreground-default-secondary">
          This form asks your browser to solve a short anti-robot check, which needs JavaScript. Turn JavaScript on and reload the page to
          continue.
        </p>
      </noscript>
      {failed && (
        <p role="alert" className="text-interface-foreground-default-secondary">
          The anti-robot check could not load. Reload the page to try again.
        </p>
      )}
    </div>
  );
}

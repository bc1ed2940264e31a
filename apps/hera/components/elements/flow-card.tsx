"use client";

import { lazy, useEffect, useRef } from "react";
import type { FlowCardProps } from "./flow-card-props";
import { PENDING } from "./pending";

export type { FlowCardProps };

/**
 * Ory Elements (about 220 kB gzip) stays out of the page's first load. The
 * server renders the card in full — a working HTML form posting to Kratos,
 * all a browser without JavaScript needs — and the browser hydrates it in
 * place once this chunk has arrived. No Suspense boundary on purpose: a
 * fallback would be streamed in place of the form and swapped by a script.
 */
const HeraFlow = lazy(() => import("./hera-flow"));

export function FlowCard(props: FlowCardProps) {
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Hydrated: hand back the controls the pre-hydration script held.
    const card = root.current;
    if (!card) return;
    card.removeAttribute(PENDING);
    for (const control of card.querySelectorAll<HTMLInputElement>(`[${PENDING}]`)) {
      control.removeAttribute(PENDING);
      control.disabled = false;
    }
  }, []);
  return (
    <div ref={root} data-hera-flow={props.kind} className="contents">
      <HeraFlow {...props} />
    </div>
  );
}

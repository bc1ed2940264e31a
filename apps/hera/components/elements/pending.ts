/**
 * With JavaScript on, a flow card's controls wait for Ory Elements to
 * hydrate them; this attribute marks the ones held back (on the card too).
 */
export const PENDING = "data-hera-pending";

/**
 * Runs as soon as the browser has parsed the card (the element before this
 * script), only with JavaScript on: until Elements has hydrated it, what a
 * person types could be lost (react-hook-form resets its controlled fields)
 * and a click would post the plain form instead of Elements' JSON, so the
 * controls wait, as they did with Elements alone. FlowCard hands them back
 * once hydrated; should hydration never come (its chunk failed to load),
 * they are given back after 8 s and the plain HTML form does the job.
 */
export const PENDING_SCRIPT = `(function(r){if(!r)return;var c=r.querySelectorAll("input,button,select,textarea");function e(){r.removeAttribute("${PENDING}");c.forEach(function(x){if(x.hasAttribute("${PENDING}")){x.removeAttribute("${PENDING}");x.disabled=false}})}r.setAttribute("${PENDING}","");c.forEach(function(x){if(!x.disabled){x.disabled=true;x.setAttribute("${PENDING}","")}});setTimeout(function(){if(r.hasAttribute("${PENDING}"))e()},8000)})(document.currentScript&&document.currentScript.previousElementSibling)`;

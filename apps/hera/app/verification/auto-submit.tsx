"use client";

import { useEffect, useRef } from "react";
import { REMEMBERED_ADDRESS_KEY } from "./remembered-address";

/**
 * Posts the pre-filled verification form once, as pressing its button would
 * (requestSubmit sends the button's method=code). The address is kept in this
 * tab's session storage so that, should the code have expired, the next
 * page can offer a new mail to it.
 */
export function AutoSubmit({ formId, address }: { formId: string; address: string | undefined }) {
  const sent = useRef(false);
  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    if (address) sessionStorage.setItem(REMEMBERED_ADDRESS_KEY, address);
    const form = document.getElementById(formId);
    if (form instanceof HTMLFormElement) form.requestSubmit(form.querySelector<HTMLButtonElement>("button[type=submit]"));
  }, [formId, address]);
  return null;
}

"use client";

import { useEffect, useRef } from "react";
import { REMEMBERED_ADDRESS_KEY } from "./remembered-address";

/** The email field of the "new mail" form, filled with the address the expired link was for when this tab knows it. */
export function AddressInput() {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const remembered = sessionStorage.getItem(REMEMBERED_ADDRESS_KEY);
    if (remembered && input.current && input.current.value === "") input.current.value = remembered;
  }, []);
  return (
    <input
      ref={input}
      type="email"
      name="email"
      required
      autoComplete="email"
      className="rounded border border-slate-300 px-3 py-2 font-normal"
    />
  );
}

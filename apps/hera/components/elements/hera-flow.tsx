"use client";

import { Login, Recovery, Registration, Settings, Verification } from "@ory/elements-react/theme";
import type { FlowCardProps } from "./flow-card-props";
import { heraComponents } from "./overrides";

/**
 * Ory Elements' card for one self-service flow, with Hera's overrides. The
 * whole of Elements sits behind this module, which FlowCard imports lazily:
 * it is rendered on the server like any component, and its code reaches the
 * browser after the page's own scripts (see FlowCard).
 */
export default function HeraFlow(props: FlowCardProps) {
  switch (props.kind) {
    case "login":
      return <Login flow={props.flow} config={props.config} components={heraComponents} />;
    case "registration":
      return <Registration flow={props.flow} config={props.config} components={heraComponents} />;
    case "recovery":
      return <Recovery flow={props.flow} config={props.config} components={heraComponents} />;
    case "verification":
      return <Verification flow={props.flow} config={props.config} components={heraComponents} />;
    case "settings":
      return <Settings flow={props.flow} config={props.config} components={heraComponents} />;
  }
}

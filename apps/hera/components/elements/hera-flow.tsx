"use client";

import { useMemo } from "react";
import { Login, Recovery, Registration, Settings, Verification } from "@ory/elements-react/theme";
import type { OryClientConfiguration } from "@ory/elements-react";
import type { FlowCardProps } from "./flow-card-props";
import { captchaPayloadMiddleware } from "./captcha-payload";
import { heraComponents } from "./overrides";

/**
 * Ory Elements' card for one self-service flow, with Hera's overrides. The
 * whole of Elements sits behind this module, which FlowCard imports lazily:
 * it is rendered on the server like any component, and its code reaches the
 * browser after the page's own scripts (see FlowCard).
 */
export default function HeraFlow(props: FlowCardProps) {
  const config = useMemo(() => withCaptchaPayload(props.config), [props.config]);
  switch (props.kind) {
    case "login":
      return <Login flow={props.flow} config={config} components={heraComponents} />;
    case "registration":
      return <Registration flow={props.flow} config={config} components={heraComponents} />;
    case "recovery":
      return <Recovery flow={props.flow} config={config} components={heraComponents} />;
    case "verification":
      return <Verification flow={props.flow} config={config} components={heraComponents} />;
    case "settings":
      return <Settings flow={props.flow} config={config} components={heraComponents} />;
  }
}

/** Elements' SDK options plus the middleware that adds a solved CAPTCHA to the next submission (functions cannot come from the server). */
function withCaptchaPayload(config: OryClientConfiguration): OryClientConfiguration {
  const options = config.sdk?.options ?? {};
  return {
    ...config,
    sdk: { ...config.sdk, options: { ...options, middleware: [...(options.middleware ?? []), captchaPayloadMiddleware] } },
  };
}

"use client";

import { useEffect, useRef, type ComponentProps } from "react";
import type { OryNodeTextProps, OryToastProps } from "@ory/elements-react";
import { Settings, getOryComponents } from "@ory/elements-react/theme";

const defaults = getOryComponents();
const DefaultText = defaults.Node.Text;
const DefaultToast = defaults.Message.Toast;

/**
 * The TOTP secret as a labelled, read-only (copyable) field. Ory Elements
 * renders it as a disabled input whose label points nowhere, which screen
 * readers cannot announce; everything else is Elements' own rendering.
 */
function TextNode(props: OryNodeTextProps) {
  const { node } = props;
  if (node.attributes.id !== "totp_secret_key") return <DefaultText {...props} />;
  return (
    <div className="flex flex-col gap-1 antialiased">
      <label htmlFor="totp_secret_key" className="leading-normal text-input-foreground-primary">
        {node.meta.label?.text ?? "Authenticator secret"}
      </label>
      <input
        id="totp_secret_key"
        name="totp_secret_key"
        type="text"
        readOnly
        value={node.attributes.text.text}
        data-testid="ory/form/node/input/totp_secret_key"
        className="w-full rounded-forms border border-input-border-default bg-input-background-disabled px-4 py-[13px] font-mono text-input-foreground-primary"
      />
    </div>
  );
}

/** Elements' "settings saved" toast, whose close button has no accessible name: it gets one. */
function Toast(props: OryToastProps) {
  const frame = useRef<HTMLDivElement>(null);
  useEffect(() => {
    frame.current?.querySelector("button:not([aria-label])")?.setAttribute("aria-label", "Dismiss");
  });
  return (
    <div ref={frame}>
      <DefaultToast {...props} />
    </div>
  );
}

/** Ory Elements' settings, with Hera's accessible overrides. */
export function HeraSettings(props: Omit<ComponentProps<typeof Settings>, "components">) {
  return <Settings {...props} components={{ Node: { Text: TextNode }, Message: { Toast } }} />;
}

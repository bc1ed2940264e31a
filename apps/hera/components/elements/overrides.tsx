"use client";

import { useEffect, useRef, useSyncExternalStore } from "react";
import type { UiNode } from "@ory/client-fetch";
import {
  useNodeSorter,
  useOryFlow,
  type OryFlowComponentOverrides,
  type OryNodeButtonProps,
  type OryNodeCheckboxProps,
  type OryNodeInputProps,
  type OryNodeLabelProps,
  type OryFormSsoRootProps,
  type OryNodeSelectProps,
  type OryNodeSsoButtonProps,
  type OryNodeTextProps,
  type OryPageHeaderProps,
  type OrySettingsPasskeyProps,
  type OrySettingsWebauthnProps,
  type OryToastProps,
} from "@ory/elements-react";
import { getOryComponents } from "@ory/elements-react/theme";
import { Captcha } from "./captcha";
import { isMethodButton, isWebAuthnField, needsJavaScript, primaryButtonOf, type ButtonNode } from "@/lib/flow-buttons";

const defaults = getOryComponents();

const noSubscription = () => () => undefined;

/**
 * False on the server and while React hydrates, true afterwards: what only
 * works with JavaScript (WebAuthn ceremonies) is server-rendered without it,
 * and shows once the page is hydrated — no hydration mismatch either way.
 */
function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

/**
 * Whether a control is disabled. Ory Elements also disables every control
 * until react-hook-form reports `isReady`, which only happens in an effect:
 * the server-rendered form, all a browser without JavaScript ever gets, was
 * entirely disabled. Here only Kratos (`attributes.disabled`) and a running
 * submission disable one; with JavaScript, the page keeps the form disabled
 * until Elements has hydrated it (see FlowCard).
 */
function useDisabled(disabledByKratos: boolean | undefined): boolean {
  const { formState } = useOryFlow();
  return Boolean(disabledByKratos) || formState.isSubmitting;
}

function Input(props: OryNodeInputProps) {
  const disabled = useDisabled(props.node.attributes.disabled);
  return <defaults.Node.Input {...props} inputProps={{ ...props.inputProps, disabled }} />;
}

/** A field's label and field; a WebAuthn-only field (the security key's name) waits for JavaScript like its button. */
function Label(props: OryNodeLabelProps) {
  const hydrated = useHydrated();
  if (!hydrated && isWebAuthnField(props.node)) return null;
  return <defaults.Node.Label {...props} />;
}

function CodeInput(props: OryNodeInputProps) {
  const disabled = useDisabled(props.node.attributes.disabled);
  return <defaults.Node.CodeInput {...props} inputProps={{ ...props.inputProps, disabled }} />;
}

function Checkbox(props: OryNodeCheckboxProps) {
  const disabled = useDisabled(props.node.attributes.disabled);
  return <defaults.Node.Checkbox {...props} inputProps={{ ...props.inputProps, disabled }} />;
}

function Select(props: OryNodeSelectProps) {
  const disabled = useDisabled(props.node.attributes.disabled);
  const DefaultSelect = defaults.Node.Select;
  return DefaultSelect ? <DefaultSelect {...props} inputProps={{ ...props.inputProps, disabled }} /> : null;
}

/** Cards that offer methods to choose from (FlowType's values; a type import keeps @ory/client-fetch's barrel out of the bundle). */
const PICK_ONE_FLOWS: ReadonlySet<string> = new Set(["login", "registration"]);

/** The method buttons the card shows right now (all of them, or those of the method the person picked). */
function useShownButtons(): { shown: ButtonNode[]; pickOne: boolean } {
  const { flow, flowType, formState } = useOryFlow();
  const sorter = useNodeSorter();
  const pickOne = PICK_ONE_FLOWS.has(flowType);
  const nodes = flow.ui.nodes as UiNode[];
  const active = formState.current === "method_active" ? formState.method : undefined;
  const shown = nodes
    .filter(
      (node): node is ButtonNode =>
        node.attributes.node_type === "input" && (node.attributes.type === "submit" || node.attributes.type === "button"),
    )
    .filter((node) => active === undefined || node.group === active || node.group === "default" || node.group === "profile")
    .sort((a, b) => sorter(a, b, { flowType }));
  return { shown, pickOne };
}

/**
 * Ory Elements' button, with one primary action per sign-in or sign-up card:
 * the first method in Elements' own order is primary, the others secondary
 * under an "or" divider (Elements made each of them primary). A button that
 * only works with JavaScript (a WebAuthn trigger) is rendered once the page
 * is hydrated, never as a dead button.
 */
function Button(props: OryNodeButtonProps) {
  const hydrated = useHydrated();
  const disabled = useDisabled(props.node.attributes.disabled);
  const { shown, pickOne } = useShownButtons();
  if (needsJavaScript(props.node) && !hydrated) return null;
  const button = <defaults.Node.Button {...props} buttonProps={{ ...props.buttonProps, disabled }} />;
  if (!pickOne) return button;
  const visible = shown.filter((node) => hydrated || !needsJavaScript(node));
  const primary = primaryButtonOf(visible);
  if (primary === undefined || primary === props.node) return button;
  const firstSecondary = visible.find((node) => node !== primary && isMethodButton(node));
  return (
    <>
      {firstSecondary === props.node && <OrDivider />}
      <div className="hera-secondary-action contents">{button}</div>
    </>
  );
}

/** A social sign-in button (Kratos' `oidc` group): a real submit button on the server-rendered card, not a disabled one. */
function SsoButton(props: OryNodeSsoButtonProps) {
  const disabled = useDisabled(props.node.attributes.disabled);
  return <defaults.Node.SsoButton {...props} buttonProps={{ ...props.buttonProps, disabled }} />;
}

/**
 * The social sign-in buttons sit in a form of their own that Elements
 * renders without the CSRF token (it sends the token from its form state
 * with JavaScript); a browser without JavaScript posts the form as is, so
 * the token goes in as a hidden input.
 */
function SsoRoot(props: OryFormSsoRootProps) {
  const { flow } = useOryFlow();
  const csrf = flow.ui.nodes.find((n) => n.attributes.node_type === "input" && n.attributes.name === "csrf_token");
  const token = csrf?.attributes.node_type === "input" && typeof csrf.attributes.value === "string" ? csrf.attributes.value : undefined;
  return (
    <defaults.Form.SsoRoot {...props}>
      {token !== undefined && <input type="hidden" name="csrf_token" value={token} />}
      {props.children}
    </defaults.Form.SsoRoot>
  );
}

function OrDivider() {
  return (
    <div
      role="separator"
      aria-label="or"
      data-testid="hera/or-divider"
      className="flex items-center gap-3 text-sm text-interface-foreground-default-tertiary before:h-px before:flex-1 before:bg-interface-border-default-primary before:content-[''] after:h-px after:flex-1 after:bg-interface-border-default-primary after:content-['']"
    >
      or
    </div>
  );
}

/**
 * The TOTP secret as a labelled, read-only (copyable) field. Ory Elements
 * renders it as a disabled input whose label points nowhere, which screen
 * readers cannot announce; everything else is Elements' own rendering.
 */
function Text(props: OryNodeTextProps) {
  const { node } = props;
  if (node.attributes.id !== "totp_secret_key") return <defaults.Node.Text {...props} />;
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
      <defaults.Message.Toast {...props} />
    </div>
  );
}

/** The settings header (logo, account menu, "← Back"), marked so Hera's stylesheet can keep it readable on IAM's dark band. */
function PageHeader(props: OryPageHeaderProps) {
  return (
    <div className="hera-settings-header contents">
      <defaults.Page.Header {...props} />
    </div>
  );
}

/** Says why the security-key and passkey sections have no button without JavaScript (the WebAuthn ceremony runs in the browser). */
function NeedsJavaScript({ what }: { what: string }) {
  return (
    <p data-testid="hera/needs-javascript" className="text-interface-foreground-default-secondary">
      Adding or removing {what} needs JavaScript in your browser.
    </p>
  );
}

/** Security keys: the name field spans the section, the button beside it (Elements squeezed both into 24rem on the left). */
function WebauthnSettings(props: OrySettingsWebauthnProps) {
  if (!useHydrated()) return <NeedsJavaScript what="security keys" />;
  return (
    <div className="hera-webauthn-settings">
      <defaults.Form.WebauthnSettings {...props} />
    </div>
  );
}

function PasskeySettings(props: OrySettingsPasskeyProps) {
  if (!useHydrated()) return <NeedsJavaScript what="passkeys" />;
  return <defaults.Form.PasskeySettings {...props} />;
}

/** Hera's overrides of Ory Elements' default theme, for every flow. */
export const heraComponents: OryFlowComponentOverrides = {
  Node: { Input, Label, CodeInput, Checkbox, Select, Button, SsoButton, Text, Captcha },
  Message: { Toast },
  Page: { Header: PageHeader },
  Form: { WebauthnSettings, PasskeySettings, SsoRoot },
};

/**
 * Kratos' UI text messages (text/id.go, text/message_*.go), reproduced by id
 * with their English texts. Strategies add their own ids in their folders.
 */
import { goQuote } from "@olympus/server-kit/go-strconv";
import { goBigFloat as goFloat } from "../identity/jsonschema/go-format";
import { minutesText, since, until } from "../clock/go-duration";
import { goTimeString } from "../clock/go-time";
import { JsonText } from "../http/json-text";
import { isPlainObject } from "../config/unknown-keys";

export type MessageType = "info" | "error" | "success";

export interface UiText {
  id: number;
  text: string;
  type: MessageType;
  /**
   * text.Message's context (a json.RawMessage, left out when absent): an
   * object on Kratos' own texts, but any JSON value (`null`, an array, a
   * string…) on a web hook's, kept as the text Kratos answers (a JsonText,
   * see selfservice/hook/web-hook-response.ts) until the flow is stored; a
   * stored flow's read gives jsonb's text back the same way where a plain
   * value would answer otherwise (selfservice/flow/stored-ui-texts.ts).
   * Read fields through contextObject.
   */
  context?: unknown;
}

/** The text's context when it is an object (a hook's JsonText: its value), for code reading its fields. */
export function contextObject(text: UiText | undefined): Record<string, unknown> | undefined {
  const context = text?.context instanceof JsonText ? text.context.value : text?.context;
  return isPlainObject(context) ? context : undefined;
}

const info = (id: number, text: string, context?: Record<string, unknown>): UiText => ({
  id,
  text,
  type: "info",
  ...(context ? { context } : {}),
});
const error = (id: number, text: string, context?: Record<string, unknown>): UiText => ({
  id,
  text,
  type: "error",
  ...(context ? { context } : {}),
});

export const messages = {
  // labels
  loginSubmitPassword: () => info(1010022, "Sign in with password"),
  loginReAuth: () => info(1010003, "Please confirm this action by verifying that it is you."),
  loginMfa: () => info(1010004, "Please complete the second authentication challenge."),
  registrationSubmit: () => info(1040001, "Sign up"),
  settingsSaved: (): UiText => ({ id: 1050001, text: "Your changes have been saved!", type: "success" }),
  /** Shown on the settings flow a completed recovery opens. */
  recoverySuccessful: (privilegedUntil: Date): UiText => ({
    id: 1060001,
    text: `You successfully recovered your account. Please change your password or set up an alternative login method (e.g. social sign in) within the next ${minutesText(until(privilegedUntil))} minutes.`,
    type: "success",
    context: {
      privilegedSessionExpiresAt: goTimeString(privilegedUntil),
      privileged_session_expires_at: goTimeString(privilegedUntil),
      privileged_session_expires_at_unix: Math.floor(privilegedUntil.getTime() / 1000),
    },
  }),
  labelPassword: () => info(1070001, "Password"),
  labelGenerated: (title: string, name: string) => info(1070002, title, { title, name }),
  labelSave: () => info(1070003, "Save"),
  labelId: () => info(1070004, "ID"),
  labelSubmit: () => info(1070005, "Submit"),
  labelEmail: () => info(1070007, "Email"),
  labelContinue: () => info(1070009, "Continue"),

  // validation (node or flow level)
  generic: (reason: string) => error(4000001, reason, { reason }),
  required: (property: string) => error(4000002, `Property ${property} is missing.`, { property }),
  minLength: (min: number, actual: number) =>
    error(4000003, `length must be >= ${min}, but got ${actual}`, { min_length: min, actual_length: actual }),
  invalidFormat: (pattern: string) => error(4000004, `does not match pattern ${goQuote(pattern)}`, { pattern }),
  passwordPolicy: (reason: string) => error(4000005, `The password can not be used because ${reason}.`, { reason }),
  invalidCredentials: () =>
    error(
      4000006,
      "The provided credentials are invalid, check for spelling mistakes in your password or username, email address, or phone number.",
    ),
  duplicateCredentials: () => error(4000007, "An account with the same identifier (email, phone, username, ...) exists already."),
  identifierMissing: () =>
    error(
      4000009,
      "Could not find any login identifiers. Did you forget to set them? This could also be caused by a server misconfiguration.",
    ),
  maxLength: (max: number, actual: number) =>
    error(4000017, `length must be <= ${max}, but got ${actual}`, { max_length: max, actual_length: actual }),
  minimum: (min: number, actual: number) =>
    error(4000018, `must be >= ${goFloat(min)} but found ${goFloat(actual)}`, { minimum: min, actual }),
  exclusiveMinimum: (min: number, actual: number) =>
    error(4000019, `must be > ${goFloat(min)} but found ${goFloat(actual)}`, { minimum: min, actual }),
  maximum: (max: number, actual: number) =>
    error(4000020, `must be <= ${goFloat(max)} but found ${goFloat(actual)}`, { maximum: max, actual }),
  exclusiveMaximum: (max: number, actual: number) =>
    error(4000021, `must be < ${goFloat(max)} but found ${goFloat(actual)}`, { maximum: max, actual }),
  multipleOf: (base: number, actual: number) => error(4000022, `${goFloat(actual)} not multipleOf ${goFloat(base)}`, { base, actual }),
  maxItems: (max: number, actual: number) =>
    error(4000023, `maximum ${max} items allowed, but found ${actual} items`, { max_items: max, actual_items: actual }),
  minItems: (min: number, actual: number) =>
    error(4000024, `minimum ${min} items allowed, but found ${actual} items`, { min_items: min, actual_items: actual }),
  uniqueItems: (a: number, b: number) => error(4000025, `items at index ${a} and ${b} are equal`, { index_a: a, index_b: b }),
  wrongType: (allowed: string[], actual: string) =>
    error(4000026, `expected ${allowed.join(" or ")}, but got ${actual}`, { allowed_types: allowed, actual_type: actual }),
  constant: (expected: string) => error(4000029, `must be equal to constant ${expected}`, { expected }),
  constGeneric: () => error(4000030, "const failed"),
  passwordTooSimilar: () => error(4000031, "The password can not be used because it is too similar to the identifier."),
  passwordMinLength: (min: number, actual: number) =>
    error(4000032, `The password must be at least ${min} characters long, but got ${actual}.`, { min_length: min, actual_length: actual }),
  passwordMaxLength: (max: number, actual: number) =>
    error(4000033, `The password must be at most ${max} characters long, but got ${actual}.`, { max_length: max, actual_length: actual }),
  passwordTooManyBreaches: (breaches: number) =>
    error(4000034, "The password has been found in data breaches and must no longer be used.", { breaches }),
  passwordSameAsOld: () => error(4000039, "The new password must be different from the old password."),
  accountNotFound: () => error(4000037, "This account does not exist or has no login method configured."),
  invalidEmail: (value: string) => error(4000040, "Enter a valid email address", { value }),
  invalidPhone: (value: string) => error(4000041, "Enter a valid phone number", { value }),

  // flow errors
  loginFlowExpired: (expiredAt: Date, now?: Date) => flowExpired(4010001, "login", expiredAt, now),
  registrationFlowExpired: (expiredAt: Date, now?: Date) => flowExpired(4040001, "registration", expiredAt, now),
  settingsFlowExpired: (expiredAt: Date, now?: Date) => flowExpired(4050001, "settings", expiredAt, now),
  recoveryFlowExpired: (expiredAt: Date, now?: Date) => flowExpired(4060005, "recovery", expiredAt, now),
  verificationFlowExpired: (expiredAt: Date, now?: Date) => flowExpired(4070005, "verification", expiredAt, now),
  noStrategy: (kind: "login" | "registration" | "settings" | "recovery" | "verification") => {
    const texts = {
      login: [4010002, "Could not find a strategy to log you in with. Did you fill out the form correctly?"],
      registration: [4010003, "Could not find a strategy to sign you up with. Did you fill out the form correctly?"],
      settings: [4010004, "Could not find a strategy to update your settings. Did you fill out the form correctly?"],
      recovery: [4010005, "Could not find a strategy to recover your account with. Did you fill out the form correctly?"],
      verification: [4010006, "Could not find a strategy to verify your account with. Did you fill out the form correctly?"],
    } as const;
    const [id, text] = texts[kind];
    return error(id, text);
  },
};

/** text.NewErrorValidation<Kind>FlowExpired: Since(expiredAt).Minutes() printed with `%.2f`. */
function flowExpired(id: number, kind: string, expiredAt: Date, now?: Date): UiText {
  return error(id, `The ${kind} flow expired ${minutesText(since(expiredAt, now))} minutes ago, please try again.`, {
    expired_at: goTimeString(expiredAt),
    expired_at_unix: Math.floor(expiredAt.getTime() / 1000),
  });
}

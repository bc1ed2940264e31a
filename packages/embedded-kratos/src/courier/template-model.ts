import { goHttpHeader } from "./go-http-header";
import { GoStruct } from "./gotemplate";
import { EMAIL_MODELS, goTemplateData, type MessageKind, SMS_MODELS } from "./template-data";
import type { TemplateModel, TemplateType } from "./template-types";

/** The models that carry `UserRequestHeaders http.Header `json:"-"`` (courier/template/{email,sms}/*.go). */
const WITH_REQUEST_HEADERS: ReadonlySet<TemplateType> = new Set(["login_code_valid", "recovery_code_valid", "registration_code_valid"]);

const pascal = (type: TemplateType) => type.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());

/**
 * The Go model a template executes on (LoadText/LoadHTML's `model`): a
 * pointer to the struct of courier/template/<kind>/<type>.go, so `.Field`
 * reads a field, an unknown one is "can't evaluate field X in type
 * *email.RecoveryCodeValidModel", and nil maps read as empty ones.
 * UserRequestHeaders holds the flow request's allow-listed headers when the
 * message is queued (code_sender.go fills it; `requestHeaders`), and is the
 * nil http.Header the HTML body sees at dispatch (it is `json:"-"`, so
 * Kratos' stored message loses it).
 */
export function goTemplateModel(
  kind: MessageKind,
  type: TemplateType,
  model: TemplateModel,
  requestHeaders: Readonly<Record<string, readonly string[]>> = {},
): GoStruct {
  const fields = (kind === "sms" ? SMS_MODELS[type] : EMAIL_MODELS[type]) ?? [];
  const values = new Map<string, unknown>();
  for (const [, field, zero] of fields) {
    const value = model[field];
    if (field === "ExpiresInMinutes") values.set(field, BigInt(Math.trunc(Number(value ?? zero ?? 0))));
    else values.set(field, value ?? (zero === null ? {} : zero));
  }
  if (WITH_REQUEST_HEADERS.has(type)) values.set("UserRequestHeaders", goHttpHeader(requestHeaders));
  const typeName = `*${kind}.${pascal(type)}Model`;
  return new GoStruct(typeName, values, fields.length > 0 ? goTemplateData(kind, type, model) : {});
}

import { messages, type UiText } from "../../ui/messages";
import type { ValidationError } from "./validation-error";

/** A message for one node (`traits.email`) or, with no name (or ""), for the whole flow. */
export interface FieldError {
  name: string | undefined;
  message: UiText;
}

/**
 * ory/x jsonschemax.JSONPointerToDotNotation as ParseError uses it (errors
 * ignored): a pointer not starting with `#/` comes back as it is (Kratos then
 * adds a node of that name), one that does not unescape as "" (a flow-level
 * message).
 */
export function dotNotation(pointer: string): string {
  if (!pointer.startsWith("#/")) return pointer;
  const items: string[] = [];
  for (const item of pointer.slice(2).split("/")) {
    const unescaped = item.replace(/~1/g, "/").replace(/~0/g, "~");
    try {
      items.push(decodeURIComponent(unescaped).replace(/\./g, "\\."));
    } catch {
      return "";
    }
  }
  return items.join(".");
}

/** fmt.Sscanf of the message's numbers; -1 where it does not match, as Kratos' defaults. */
function scan(message: string, pattern: RegExp): [number, number] {
  const m = pattern.exec(message);
  return m ? [Number(m[1]), Number(m[2])] : [-1, -1];
}

const UNQUOTED: Readonly<Record<string, string>> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };

/**
 * The inside of a %q string back to text, as fmt.Sscanf's %q reads it
 * (strconv.Unquote), for every escape strconv.Quote writes.
 */
function unquote(inner: string): string {
  return inner.replace(/\\(?:x([0-9a-f]{2})|u([0-9a-f]{4})|U([0-9a-f]{8})|(.))/gs, (...match: (string | undefined)[]) => {
    const [, x, u, big, other = ""] = match;
    const code = x ?? u ?? big;
    if (code !== undefined) return String.fromCodePoint(Number.parseInt(code, 16));
    return UNQUOTED[other] ?? other;
  });
}

const FORMAT_MATCHER = /"([^"]+)"\s+is not valid\s+"([^"]+)"/;

/** ui/container/container.go translateValidationError: a leaf's message by the last segment of its schema pointer. */
function translate(error: ValidationError): UiText {
  const keyword = error.schemaPtr.split("/").pop() ?? "";
  const text = error.message;
  const n = "(-?[0-9.e+-]+)";
  switch (keyword) {
    case "minLength":
      return messages.minLength(...scan(text, /^length must be >= (-?\d+), but got (-?\d+)/));
    case "maxLength":
      return messages.maxLength(...scan(text, /^length must be <= (-?\d+), but got (-?\d+)/));
    case "pattern": {
      const m = /^does not match pattern "((?:[^"\\]|\\.)*)"/.exec(text);
      return messages.invalidFormat(m ? unquote(m[1] ?? "") : "");
    }
    case "minimum":
      return messages.minimum(...scan(text, new RegExp(`^must be >= ${n} but found ${n}`)));
    case "exclusiveMinimum":
      return messages.exclusiveMinimum(...scan(text, new RegExp(`^must be > ${n} but found ${n}`)));
    case "maximum":
      return messages.maximum(...scan(text, new RegExp(`^must be <= ${n} but found ${n}`)));
    case "exclusiveMaximum":
      return messages.exclusiveMaximum(...scan(text, new RegExp(`^must be < ${n} but found ${n}`)));
    case "multipleOf": {
      const [actual, base] = scan(text, new RegExp(`^${n} not multipleOf ${n}`));
      return messages.multipleOf(base, actual);
    }
    case "maxItems":
      return messages.maxItems(...scan(text, /^maximum (-?\d+) items allowed, but found (-?\d+) items/));
    case "minItems":
      return messages.minItems(...scan(text, /^minimum (-?\d+) items allowed, but found (-?\d+) items/));
    case "uniqueItems":
      return messages.uniqueItems(...scan(text, /^items at index (-?\d+) and (-?\d+) are equal/));
    case "type": {
      const rest = text.startsWith("expected ") ? text.slice("expected ".length) : text;
      const at = rest.indexOf(", but got ");
      const [allowed, actual] = at < 0 ? [rest, ""] : [rest.slice(0, at), rest.slice(at + ", but got ".length)];
      return messages.wrongType(allowed.split(" or "), actual);
    }
    case "const":
      return text === "const failed"
        ? messages.constGeneric()
        : messages.constant(text.startsWith("value must be ") ? text.slice("value must be ".length) : text);
    case "format": {
      const m = FORMAT_MATCHER.exec(text);
      if (!m) return messages.generic(text);
      const [, value = "", format = ""] = m;
      if (format === "email" || format === "email_loose") return messages.invalidEmail(value);
      if (format === "tel") return messages.invalidPhone(value);
      return messages.generic(text);
    }
    default:
      return messages.generic(text);
  }
}

/**
 * ui/container/container.go ParseError for a jsonschema.ValidationError: a
 * `required` failure gives 4000002 per missing property at that property's
 * node; any other error with causes gives its causes' messages (so a
 * `validation failed`, `allOf failed`, `anyOf failed`, `oneOf failed`,
 * `if-then failed` or `$ref` node only passes its leaves on), and a leaf is
 * translated by its keyword (4000001 for keywords without their own id).
 */
export function fieldErrorsOf(error: ValidationError): FieldError[] {
  if (error.missing)
    return error.missing.map((pointer) => ({
      name: dotNotation(pointer),
      message: messages.required(pointer.split("/").pop() ?? ""),
    }));
  if (error.causes.length === 0) return [{ name: dotNotation(error.instancePtr), message: translate(error) }];
  return error.causes.flatMap(fieldErrorsOf);
}

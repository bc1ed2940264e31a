import { Compiler, isObject, type Json, type Obj, type Schema } from "./compile";
import { isGoInteger } from "./go-big";
import { goQuote } from "@olympus/server-kit/go-strconv";
import { escapeToken, goSyntaxValue } from "./go-format";
import { numberText } from "./json-number";
import { kratosExtensionError } from "./kratos-extension";
import type { RemoteDocuments } from "./ref-loader";
import {
  addCauses,
  addContext,
  finishInstanceContext,
  finishSchemaContext,
  validationError,
  type ValidationError,
} from "./validation-error";
import { equals, jsonType, numberErrors } from "./values";

/**
 * A JSON Schema validator that fails the way ory/jsonschema v3 (the
 * validator Kratos runs on traits) does: the same checks in the same order
 * (schema.go `validate`), the same messages and the same error tree, so the
 * admin API's reason and the flows' node messages can be derived as Kratos
 * derives them. Where Go ranges over a map (`properties`,
 * `patternProperties`, `dependencies`, the names of additional properties)
 * its order varies from run to run; here it is the schema's (or the
 * instance's) key order. Numbers are checked on their text (json.Number)
 * when they are kept with it (json-number.ts), else on their shortest form.
 */

function validate(s: Schema, v: Json): ValidationError | undefined {
  if (s.always !== undefined) return s.always ? undefined : validationError("", "always fail");
  if (s.ref) {
    const error = validate(s.ref, v);
    if (!error) return undefined;
    finishSchemaContext(error, s.ref.ptr);
    // Siblings of `$ref` are ignored (draft 7), as in ory/jsonschema.
    const target = s.url === s.ref.url ? s.ref.ptr : s.ref.url + s.ref.ptr;
    return addCauses(validationError("$ref", `doesn't validate with ${goQuote(target)}`), error);
  }
  if (s.types.length > 0) {
    const type = jsonType(v);
    // big.Int SetString(fmt.Sprint(v), 10): `1.0` and `1e2` are no integers.
    const text = numberText(v);
    const matched = s.types.some((t) => t === type || (t === "integer" && text !== undefined && isGoInteger(text)));
    if (!matched) return validationError("type", `expected ${s.types.join(" or ")}, but got ${type}`);
  }

  const errors: ValidationError[] = [];
  if (s.constant && !equals(v, s.constant.value)) {
    const c = s.constant.value;
    errors.push(validationError("const", Array.isArray(c) || isObject(c) ? "const failed" : `value must be ${goSyntaxValue(c)}`));
  }
  if (s.enumValues && !s.enumValues.some((item) => equals(v, item))) errors.push(validationError("enum", s.enumError));
  if (s.format && !s.format.check(v))
    errors.push(
      validationError(
        "format",
        `${goQuote(typeof v === "string" ? v : (numberText(v) ?? String(v)))} is not valid ${goQuote(s.format.name)}`,
      ),
    );
  if (s.not && !validate(s.not, v)) errors.push(validationError("not", "not failed"));
  s.allOf.forEach((sub, i) => {
    const error = validate(sub, v);
    if (error) errors.push(addCauses(validationError(`allOf/${i}`, "allOf failed"), error));
  });
  if (s.anyOf.length > 0) {
    const causes: ValidationError[] = [];
    let matched = false;
    for (const [i, sub] of s.anyOf.entries()) {
      const error = validate(sub, v);
      if (!error) {
        matched = true;
        break;
      }
      causes.push(addContext("", String(i), error));
    }
    if (!matched) errors.push(addCauses(validationError("anyOf", "anyOf failed"), ...causes));
  }
  if (s.oneOf.length > 0) {
    const causes: ValidationError[] = [];
    let matched = -1;
    for (const [i, sub] of s.oneOf.entries()) {
      const error = validate(sub, v);
      if (error) {
        causes.push(addContext("", String(i), error));
        continue;
      }
      if (matched !== -1) {
        errors.push(validationError("oneOf", `valid against schemas at indexes ${matched} and ${i}`));
        break;
      }
      matched = i;
    }
    if (matched === -1) errors.push(addCauses(validationError("oneOf", "oneOf failed"), ...causes));
  }
  if (s.if) {
    if (!validate(s.if, v)) {
      const error = s.then && validate(s.then, v);
      if (error) errors.push(addCauses(validationError("then", "if-then failed"), error));
    } else {
      const error = s.else && validate(s.else, v);
      if (error) errors.push(addCauses(validationError("else", "if-else failed"), error));
    }
  }

  if (isObject(v)) errors.push(...objectErrors(s, v));
  else if (Array.isArray(v)) errors.push(...arrayErrors(s, v));
  else if (typeof v === "string") errors.push(...stringErrors(s, v));
  else {
    const text = numberText(v);
    if (text !== undefined) errors.push(...numberErrors(s, text));
  }
  // schema.go: the extensions run last, on a value of any type the schema allows.
  const extensionError = s.kratos && kratosExtensionError(s.kratos, v);
  if (extensionError) errors.push(extensionError);

  if (errors.length === 0) return undefined;
  if (errors.length === 1) return errors[0];
  return addCauses(validationError("", "validation failed"), ...errors);
}

function objectErrors(s: Schema, v: Obj): ValidationError[] {
  const errors: ValidationError[] = [];
  const count = Object.keys(v).length;
  if (s.minProperties !== undefined && count < s.minProperties)
    errors.push(validationError("minProperties", `minimum ${s.minProperties} properties allowed, but found ${count} properties`));
  if (s.maxProperties !== undefined && count > s.maxProperties)
    errors.push(validationError("maxProperties", `maximum ${s.maxProperties} properties allowed, but found ${count} properties`));
  const missing = s.required.filter((name) => !Object.hasOwn(v, name));
  if (missing.length > 0) {
    // validation_context.go validationRequiredError
    const error = validationError("required", `missing properties: ${missing.map(goQuote).join(", ")}`);
    error.missing = missing.map(escapeToken);
    errors.push(error);
  }
  const additional = new Set(Object.keys(v));
  for (const [name, schema] of s.properties) {
    if (!Object.hasOwn(v, name)) continue;
    additional.delete(name);
    const error = validate(schema, v[name]);
    if (error) errors.push(addContext(escapeToken(name), `properties/${escapeToken(name)}`, error));
  }
  if (s.propertyNames)
    for (const name of Object.keys(v)) {
      const error = validate(s.propertyNames, name);
      if (error) errors.push(addContext(escapeToken(name), "propertyNames", error));
    }
  for (const [source, re, schema] of s.patternProperties)
    for (const name of Object.keys(v)) {
      if (!re.test(name)) continue;
      additional.delete(name);
      const error = validate(schema, v[name]);
      if (error) errors.push(addContext(escapeToken(name), `patternProperties/${escapeToken(source)}`, error));
    }
  if (s.additionalProperties === false && additional.size > 0)
    errors.push(validationError("additionalProperties", `additionalProperties ${[...additional].map(goQuote).join(", ")} not allowed`));
  else if (typeof s.additionalProperties === "object")
    for (const name of additional) {
      const error = validate(s.additionalProperties, v[name]);
      if (error) errors.push(addContext(escapeToken(name), "additionalProperties", error));
    }
  for (const [name, dependency] of s.dependencies) {
    if (!Object.hasOwn(v, name)) continue;
    if (Array.isArray(dependency)) {
      dependency.forEach((required, i) => {
        if (!Object.hasOwn(v, required))
          errors.push(
            validationError(
              `dependencies/${escapeToken(name)}/${i}`,
              `property ${goQuote(required)} is required, if ${goQuote(name)} property exists`,
            ),
          );
      });
    } else {
      const error = validate(dependency, v);
      if (error) errors.push(addContext("", `dependencies/${escapeToken(name)}`, error));
    }
  }
  return errors;
}

function arrayErrors(s: Schema, v: Json[]): ValidationError[] {
  const errors: ValidationError[] = [];
  if (s.minItems !== undefined && v.length < s.minItems)
    errors.push(validationError("minItems", `minimum ${s.minItems} items allowed, but found ${v.length} items`));
  if (s.maxItems !== undefined && v.length > s.maxItems)
    errors.push(validationError("maxItems", `maximum ${s.maxItems} items allowed, but found ${v.length} items`));
  if (s.uniqueItems)
    for (let i = 1; i < v.length; i++)
      for (let j = 0; j < i; j++)
        if (equals(v[i], v[j])) errors.push(validationError("uniqueItems", `items at index ${j} and ${i} are equal`));
  if (Array.isArray(s.items)) {
    const items = s.items;
    if (s.additionalItems === false && v.length > items.length)
      errors.push(validationError("additionalItems", `only ${items.length} items are allowed, but found ${v.length} items`));
    for (const [i, item] of v.entries()) {
      const schema = items[i];
      const error = schema ? validate(schema, item) : typeof s.additionalItems === "object" ? validate(s.additionalItems, item) : undefined;
      if (!schema && typeof s.additionalItems !== "object") break;
      if (error) errors.push(addContext(String(i), schema ? `items/${i}` : "additionalItems", error));
    }
  } else if (s.items) {
    const items = s.items;
    v.forEach((item, i) => {
      const error = validate(items, item);
      if (error) errors.push(addContext(String(i), "items", error));
    });
  }
  if (s.contains) {
    const causes: ValidationError[] = [];
    let matched = false;
    for (const [i, item] of v.entries()) {
      const error = validate(s.contains, item);
      if (!error) {
        matched = true;
        break;
      }
      causes.push(addContext(String(i), "", error));
    }
    if (!matched) errors.push(addCauses(validationError("contains", "contains failed"), ...causes));
  }
  return errors;
}

function stringErrors(s: Schema, v: string): ValidationError[] {
  const errors: ValidationError[] = [];
  const length = [...v].length;
  if (s.minLength !== undefined && length < s.minLength)
    errors.push(validationError("minLength", `length must be >= ${s.minLength}, but got ${length}`));
  if (s.maxLength !== undefined && length > s.maxLength)
    errors.push(validationError("maxLength", `length must be <= ${s.maxLength}, but got ${length}`));
  if (s.pattern && !s.pattern.re.test(v)) errors.push(validationError("pattern", `does not match pattern ${goQuote(s.pattern.source)}`));
  let content: string | undefined = s.contentEncoding === undefined ? v : undefined;
  if (s.contentEncoding === "base64") {
    if (/^[A-Za-z0-9+/]*={0,2}$/.test(v) && v.length % 4 === 0) content = Buffer.from(v, "base64").toString("utf8");
    else errors.push(validationError("contentEncoding", `${goQuote(v)} is not ${s.contentEncoding} encoded`));
  }
  if (content !== undefined && s.contentMediaType === "application/json") {
    try {
      JSON.parse(content);
    } catch {
      errors.push(validationError("contentMediaType", `value is not of mediatype ${goQuote(s.contentMediaType)}`));
    }
  }
  return errors;
}

export interface JsonSchemaValidator {
  /** The compiled root schema (ory/jsonschema's *Schema), which jsonschemax.ListPaths walks (../trait-paths.ts). */
  readonly root: Schema;
  /** Schema.ValidateInterface: undefined when valid, else the finished error tree. */
  validate(document: unknown): ValidationError | undefined;
}

/**
 * Compiles a schema document found at `url` (the base of relative `$ref`s);
 * throws on a `$ref` that does not resolve, a document that cannot be
 * loaded or a pattern Go's regexp refuses. http(s) documents come from
 * `remote` (remote-refs.ts fetches them); a missing one throws RemoteDocumentNeeded.
 */
export function compileJsonSchema(
  document: unknown,
  url = "file:///schema.json",
  remote: RemoteDocuments = new Map(),
): JsonSchemaValidator {
  const compiler = new Compiler(document, url, remote);
  const root = compiler.root();
  compiler.refuseRefCycles();
  return {
    root,
    validate(value) {
      const error = validate(root, value);
      if (!error) return undefined;
      finishSchemaContext(error, root.ptr);
      finishInstanceContext(error);
      return error;
    },
  };
}

import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "./field-errors";
import { validationErrorText } from "./validation-error";
import { compileJsonSchema } from "./validator";

/**
 * The `ory.sh/kratos` extension as a validation step: Kratos'
 * identity/extension_credentials.go SchemaExtensionCredentials.Run (with
 * identity/credentials_code.go NewCodeChannel) returns
 * ctx.Error("ory.sh~/kratos/credentials/code/via", "channel type %q must be
 * one of %s", ...) for a code identifier whose `via` is not exactly `email`
 * or `sms`; ory/jsonschema schema.go `validate` appends an extension's error
 * after the schema's other errors. ui/container/container.go ParseError
 * gives it 4000001 at the trait's node.
 */
const emailTrait = (code: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  compileJsonSchema({
    $id: "x",
    type: "object",
    properties: {
      traits: {
        type: "object",
        properties: {
          email: { type: "string", ...extra, "ory.sh/kratos": { credentials: { password: { identifier: true }, code } } },
        },
      },
    },
  });

const failure = (code: Record<string, unknown>, email: unknown, extra?: Record<string, unknown>) => {
  const error = emailTrait(code, extra).validate({ traits: { email } });
  if (!error) throw new Error("expected a validation error");
  return error;
};

describe("ory.sh/kratos extension: SchemaExtensionCredentials.Run code via", () => {
  it("accepts exactly email and sms, and a trait that is no code identifier", () => {
    expect(emailTrait({ identifier: true, via: "email" }).validate({ traits: { email: "a@b.c" } })).toBeUndefined();
    expect(emailTrait({ identifier: true, via: "sms" }).validate({ traits: { email: "+49 170 1234567" } })).toBeUndefined();
    expect(emailTrait({ identifier: false, via: "x" }).validate({ traits: { email: "a@b.c" } })).toBeUndefined();
  });

  it("refuses a missing via (Go's zero value) and any other via, case included, at the keyword pointer Kratos names", () => {
    expect(validationErrorText(failure({ identifier: true }, "a@b.c"))).toBe(
      'I[#/traits/email] S[#/properties/traits/properties/email/ory.sh~/kratos/credentials/code/via] channel type "" must be one of email, sms',
    );
    expect(validationErrorText(failure({ identifier: true, via: "Email" }, "a@b.c"))).toBe(
      'I[#/traits/email] S[#/properties/traits/properties/email/ory.sh~/kratos/credentials/code/via] channel type "Email" must be one of email, sms',
    );
    expect(fieldErrorsOf(failure({ identifier: true, via: "x" }, "a@b.c")).map((e) => [e.name, e.message.id, e.message.text])).toEqual([
      ["traits.email", 4000001, 'channel type "x" must be one of email, sms'],
    ]);
  });

  it("comes after the schema's own errors, and not at all when the type does not match (schema.go validate)", () => {
    expect(validationErrorText(failure({ identifier: true, via: "x" }, "a", { minLength: 3 }))).toBe(
      [
        "I[#/traits/email] S[#/properties/traits/properties/email] validation failed",
        "  I[#/traits/email] S[#/properties/traits/properties/email/minLength] length must be >= 3, but got 1",
        '  I[#/traits/email] S[#/properties/traits/properties/email/ory.sh~/kratos/credentials/code/via] channel type "x" must be one of email, sms',
      ].join("\n"),
    );
    expect(validationErrorText(failure({ identifier: true, via: "x" }, 5))).toBe(
      "I[#/traits/email] S[#/properties/traits/properties/email/type] expected string, but got number",
    );
  });

  // x.NormalizeIdentifier(value, "sms") fails → &jsonschema.ValidationError{Message: err.Error()}: no keyword pointer of its own.
  it("refuses an sms identifier that is no valid phone number with phonenumbers' text, at the trait's own schema pointer", () => {
    expect(validationErrorText(failure({ identifier: true, via: "sms" }, "+4917"))).toBe(
      "I[#/traits/email] S[#/properties/traits/properties/email] the provided number is not a valid phone number",
    );
    expect(validationErrorText(failure({ identifier: true, via: "sms" }, "0170 1234567"))).toBe(
      "I[#/traits/email] S[#/properties/traits/properties/email] invalid country code",
    );
    expect(fieldErrorsOf(failure({ identifier: true, via: "sms" }, "abc")).map((e) => [e.name, e.message.id, e.message.text])).toEqual([
      ["traits.email", 4000001, "the phone number supplied is not a number"],
    ]);
    // After a failed `tel` format, as schema.go appends the extension's error last.
    expect(validationErrorText(failure({ identifier: true, via: "sms" }, "abc", { format: "tel" }))).toBe(
      [
        "I[#/traits/email] S[#/properties/traits/properties/email] validation failed",
        '  I[#/traits/email] S[#/properties/traits/properties/email/format] "abc" is not valid "tel"',
        "  I[#/traits/email] S[#/properties/traits/properties/email] the phone number supplied is not a number",
      ].join("\n"),
    );
    // An e-mail channel refuses nothing.
    expect(emailTrait({ identifier: true, via: "email" }).validate({ traits: { email: "abc" } })).toBeUndefined();
  });

  it("refuses a via that is no string when compiling (ExtensionRunner.compile decodes it into a string)", () => {
    expect(() => emailTrait({ identifier: true, via: 5 })).toThrow(/via must be a string/);
  });
});

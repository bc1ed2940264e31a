/**
 * ory/jsonschema's ValidationError (errors.go): a message at an instance and
 * a schema pointer, with the failures that caused it. Pointers are built the
 * way the Go code builds them: relative while validating (`addContext`
 * prefixes the parent's), made absolute by `finishSchemaContext` (a `$ref`
 * target's pointer, which later prefixes leave alone) and
 * `finishInstanceContext` (`#`, `#/a/b`).
 */
export interface ValidationError {
  message: string;
  instancePtr: string;
  schemaPtr: string;
  /** Set once the schema pointer is absolute (Go: a non-empty SchemaURL). */
  schemaFinished: boolean;
  /** ValidationErrorContextRequired.Missing: pointers of the missing properties. */
  missing?: string[];
  causes: ValidationError[];
}

export function joinPtr(a: string, b: string): string {
  if (a === "") return b;
  if (b === "") return a;
  return `${a}/${b}`;
}

/** validationErrorf */
export const validationError = (schemaPtr: string, message: string): ValidationError => ({
  message,
  instancePtr: "",
  schemaPtr,
  schemaFinished: false,
  causes: [],
});

/** ValidationError.add: the causes take the parent's (still relative) pointers as prefix. */
export function addCauses(parent: ValidationError, ...causes: ValidationError[]): ValidationError {
  for (const cause of causes) {
    addContext(parent.instancePtr, parent.schemaPtr, cause);
    parent.causes.push(cause);
  }
  return parent;
}

export function addContext(instancePtr: string, schemaPtr: string, error: ValidationError): ValidationError {
  error.instancePtr = joinPtr(instancePtr, error.instancePtr);
  if (!error.schemaFinished) error.schemaPtr = joinPtr(schemaPtr, error.schemaPtr);
  if (error.missing) error.missing = error.missing.map((m) => joinPtr(instancePtr, m));
  for (const cause of error.causes) addContext(instancePtr, schemaPtr, cause);
  return error;
}

export function finishSchemaContext(error: ValidationError, schemaPtrOfSchema: string): void {
  if (error.schemaFinished) return;
  error.schemaFinished = true;
  error.schemaPtr = joinPtr(schemaPtrOfSchema, error.schemaPtr);
  for (const cause of error.causes) finishSchemaContext(cause, schemaPtrOfSchema);
}

export function finishInstanceContext(error: ValidationError): void {
  const absolute = (p: string) => (p === "" ? "#" : `#/${p}`);
  error.instancePtr = absolute(error.instancePtr);
  if (error.missing) error.missing = error.missing.map(absolute);
  for (const cause of error.causes) finishInstanceContext(cause);
}

/** ValidationError.Error(): one line per error, causes indented by two spaces. */
export function validationErrorText(error: ValidationError): string {
  let text = `I[${error.instancePtr}] S[${error.schemaPtr}] ${error.message}`;
  for (const cause of error.causes) for (const line of validationErrorText(cause).split("\n")) text += `\n  ${line}`;
  return text;
}

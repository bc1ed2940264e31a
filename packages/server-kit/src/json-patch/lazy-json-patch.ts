import { JsonPatchError } from "./json-patch";
import { GoValueTooDeepError, MAX_NODE_DEPTH, type GoNode } from "../go-json";
import { goAtoi } from "../go-strconv";
import { goBytes } from "../go-url";
import { add, ContainerError, get, remove, set, tryGet } from "./lazy-json-container";
import {
  arrayFromRaw,
  docFromRaw,
  INVALID_INDEX,
  intoAry,
  intoDoc,
  isArray,
  LazyNode,
  marshalContainer,
  MISSING,
  newArrayNode,
  newNullNode,
  newObjectNode,
  PartialArray,
  PartialDoc,
  type Container,
} from "./lazy-json";

/**
 * evanphx/json-patch v5.9.11 Patch.ApplyWithOptions (v5/patch.go) on the
 * document's text, as oryx/jsonx/patch.go ApplyJSONPatch runs it for
 * Kratos' identity handler (identity/handler.go patchIdentity) and Hydra's
 * client handler (client/handler.go patchOAuth2Client), both on
 * json-patch v5.9.11: only add, remove and replace reach it (replace
 * of an object member arrives as add), EnsurePathExistsOnAdd is on and the
 * result is written with HTML escaping. Values a path does not go through
 * keep their text; see lazy-json.ts for what the written document holds.
 */

/** An operation as ApplyJSONPatch hands it on: its effective kind, its path, its value's text as the body wrote it. */
export interface RawPatchOperation {
  op: "add" | "remove" | "replace";
  path: string;
  value?: GoNode;
}

/**
 * Nulls ensurePathExists may pad arrays with over one patch (`/a/5000/b`
 * pads 5000). json-patch has no limit, so a path naming a huge index makes
 * Kratos allocate it; here the patch is refused instead.
 */
export const MAX_PADDING = 10_000;

/** RFC 6901 unescaping as strings.NewReplacer("~1", "/", "~0", "~") does it: one pass, left to right. */
const decodePatchKey = (key: string) => key.replace(/~[01]/g, (m) => (m === "~1" ? "/" : "~"));

/** Go's UnmarshalTypeError kind for a literal. */
const literalKind = (node: GoNode) => (node.t === "bool" ? "bool" : node.t);

/** A document read whole (the root, or an add at ""): an array when its text starts one, else an object. */
function rootFrom(node: LazyNode): Container {
  const raw = node.raw;
  if (raw.t === "array") return arrayFromRaw(raw, node);
  if (raw.t === "object") return docFromRaw(raw, node);
  // A `null` leaves the map nil (every later step then fails); other literals cannot be a map.
  if (raw.t === "null") return new PartialDoc([], null, node);
  throw new JsonPatchError(`json: cannot unmarshal ${literalKind(raw)} into Go value of type map[string]*jsonpatch.lazyNode`);
}

/** Reads a node a path goes through, as findObject and ensurePathExists do. */
const open = (node: LazyNode): Container => (isArray(node) ? intoAry(node) : intoDoc(node));

/** findObject: the container of the path's last segment and that segment unescaped, or undefined when a step is missing. */
function findObject(root: Container, path: string): { container: Container; key: string } | undefined {
  const split = path.split("/");
  if (split.length < 2) return path === "" ? { container: root, key: "" } : undefined;
  let doc = root;
  for (const part of split.slice(1, -1)) {
    const next = tryGet(doc, decodePatchKey(part));
    if (!next) return undefined;
    try {
      doc = open(next);
    } catch (error) {
      if (error instanceof JsonPatchError) return undefined;
      throw error;
    }
  }
  return { container: doc, key: decodePatchKey(split[split.length - 1] ?? "") };
}

interface Budget {
  padding: number;
}

function pad(doc: Container, from: number, to: bigint, budget: Budget): void {
  const count = to - BigInt(from);
  if (count <= 0n) return;
  if (count > BigInt(budget.padding)) throw new JsonPatchError(`the patch pads arrays with more than ${MAX_PADDING} nulls`);
  budget.padding -= Number(count);
  for (let i = from; i < from + Number(count); i++) add(doc, String(i), newNullNode());
}

/** The int a segment names, or undefined (strconv.Atoi failed); `-` counts as 0 where an array is created. */
const atoi = (s: string): bigint | undefined => {
  const parsed = goAtoi(goBytes(s));
  return "value" in parsed ? parsed.value : undefined;
};

/** A container add whose failure json-patch ignores (ensurePathExists does not check it). */
function addIgnoringFailure(doc: Container, key: string, value: LazyNode): void {
  try {
    add(doc, key, value);
  } catch (error) {
    if (!(error instanceof ContainerError)) throw error;
  }
}

/**
 * ensurePathExists: every missing (or null) step before the last becomes an
 * empty object, or an array when the next segment is an index or `-`
 * (padded with nulls up to it). It adds under the segment as written, not
 * unescaped. A step into a value that is no object or array is ErrInvalid.
 */
function ensurePathExists(root: Container, path: string, budget: Budget): void {
  const parts = path.split("/").slice(1);
  let doc = root;
  for (let pi = 0; pi < parts.length - 1; pi++) {
    const part = parts[pi] ?? "";
    const target = tryGet(doc, decodePatchKey(part));
    if (target) {
      doc = open(target);
      continue;
    }
    const index = atoi(part);
    if (index !== undefined && doc instanceof PartialArray && index >= BigInt(doc.nodes.length + 1)) {
      pad(doc, doc.nodes.length, index, budget);
    }
    const next = parts[pi + 1] ?? "";
    let nextIndex = atoi(next);
    if (nextIndex !== undefined || next === "-") {
      nextIndex ??= 0n;
      if (nextIndex < 0n) {
        if (nextIndex < -1n)
          throw new JsonPatchError(`Unable to ensure path for negative index other than -1: ${nextIndex}: ${INVALID_INDEX}`);
        nextIndex = 0n;
      }
      const node = newArrayNode();
      addIgnoringFailure(doc, part, node);
      doc = intoAry(node);
      pad(doc, 0, nextIndex, budget);
    } else {
      const node = newObjectNode();
      addIgnoringFailure(doc, part, node);
      doc = intoDoc(node);
    }
  }
}

function addOperation(root: Container, path: string, value: LazyNode, budget: Budget): Container {
  if (path === "") return rootFrom(value);
  // Every step would be created, and the document could not be read back (as a body nested that deep is refused).
  if (path.split("/").length > MAX_NODE_DEPTH) throw new GoValueTooDeepError("nested too deeply");
  ensurePathExists(root, path, budget);
  const target = findObject(root, path);
  if (!target) throw new JsonPatchError(`add operation does not apply: doc is missing path: "${path}": ${MISSING}`);
  wrap(`error in add for path: '${path}'`, () => add(target.container, target.key, value));
  return root;
}

function removeOperation(root: Container, path: string): void {
  const target = findObject(root, path);
  if (!target) throw new JsonPatchError(`remove operation does not apply: doc is missing path: "${path}": ${MISSING}`);
  wrap(`error in remove for path: '${path}'`, () => remove(target.container, target.key));
}

function replaceOperation(root: Container, path: string, value: LazyNode): void {
  const target = findObject(root, path);
  if (!target) throw new JsonPatchError(`replace operation does not apply: doc is missing path: ${path}: ${MISSING}`);
  try {
    get(target.container, target.key);
  } catch (error) {
    if (error instanceof ContainerError)
      throw new JsonPatchError(`replace operation does not apply: doc is missing key: ${path}: ${MISSING}`);
    throw error;
  }
  // json-patch words a failed replace as a remove.
  wrap(`error in remove for path: '${path}'`, () => set(target.container, target.key, value));
}

function wrap(context: string, step: () => void): void {
  try {
    step();
  } catch (error) {
    if (error instanceof ContainerError) throw new JsonPatchError(`${context}: ${error.message}`);
    throw error;
  }
}

/**
 * Applies the operations to the document (the text the identity or client
 * was marshalled to) and returns the patched document's text as json-patch
 * writes it. Throws JsonPatchError with json-patch's texts.
 */
export function applyRawPatch(document: GoNode, operations: readonly RawPatchOperation[]): string {
  let root = rootFrom(new LazyNode(document));
  const budget: Budget = { padding: MAX_PADDING };
  for (const op of operations) {
    // op.value(): a fresh node over the value's text; validation made sure add and replace have one.
    const value = new LazyNode(op.value ?? { t: "null" });
    if (op.op === "add") root = addOperation(root, op.path, value, budget);
    else if (op.op === "remove") removeOperation(root, op.path);
    else replaceOperation(root, op.path, value);
  }
  return marshalContainer(root);
}

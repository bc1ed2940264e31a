import { SERVICE_PORTS, type Domain } from "@olympus/runtime-config/config";
import { checkHydraConfig, checkKratosConfig } from "../checks/ory-config";
import { crossDomainReason } from "../checks/url-ownership";
import type { Problem } from "../problem";
import { isObject, type YamlObject, type YamlValue } from "../yaml";
import type { ComposeService, EnvValue } from "./compose-model";

export type OryKind = "kratos" | "hydra";
type ValueKind = "string" | "number" | "boolean" | "list";

interface OryKey {
  /** Path segments; a number is an array index. */
  path: (string | number)[];
  kind: ValueKind;
}

const key = (dotted: string, kind: ValueKind): OryKey => ({ path: dotted.split("."), kind });

/**
 * Keys that move the boundary and that the binaries read from the
 * environment even where the config file leaves them unset. Every key the
 * file does set is covered as well (see keysOf).
 */
const BOUNDARY_KEYS: Record<OryKind, readonly OryKey[]> = {
  kratos: [
    key("serve.admin.host", "string"),
    key("serve.admin.port", "number"),
    key("serve.public.host", "string"),
    key("serve.public.port", "number"),
    key("session.cookie.domain", "string"),
    key("session.cookie.name", "string"),
    key("cookies.domain", "string"),
    key("selfservice.methods.webauthn.config.rp.id", "string"),
    key("secrets.default", "list"),
    key("secrets.cookie", "list"),
    key("secrets.cipher", "list"),
  ],
  hydra: [
    key("serve.admin.host", "string"),
    key("serve.admin.port", "number"),
    key("serve.public.host", "string"),
    key("serve.public.port", "number"),
    key("serve.cookies.domain", "string"),
    key("urls.login", "string"),
    key("urls.self.issuer", "string"),
    key("secrets.system", "list"),
    key("secrets.cookie", "list"),
  ],
};

/** Where the admin API listens. Compose keeps it on the private network; the environment must not move it. */
const ADMIN_LISTENER = ["serve.admin.host", "serve.admin.port"];

export interface OryOverlay {
  /** The config file with the service's environment laid over it, as the binary would run. */
  config: YamlObject;
  /** Dotted config path ("secrets.cipher", "identity.schemas.0.url") → the variable that set it. */
  origins: Map<string, { name: string; entry: EnvValue }>;
  /** Dotted paths set by a variable whose value the env file cannot fill (reported as missing). */
  unresolved: Set<string>;
}

/**
 * Ory reads every config key from the environment too, and the environment
 * wins: the variable's name is lower-cased and its `_` become `.`, then
 * compared with each key's path written the same way
 * (SESSION_COOKIE_DOMAIN → session.cookie.domain, SECRETS_CIPHER_0 →
 * secrets.cipher[0]). A list given as text is split at commas unless it
 * is JSON; a JSON value that is not a list yields no list.
 */
export function overlayEnvironment(kind: OryKind, file: YamlObject, environment: ReadonlyMap<string, EnvValue>): OryOverlay {
  const config = structuredClone(file);
  const origins: OryOverlay["origins"] = new Map();
  const unresolved = new Set<string>();
  const keys = new Map<string, OryKey>();
  for (const k of [...keysOf(file), ...BOUNDARY_KEYS[kind]]) keys.set(normalize(k.path.join(".")), k);

  const targets: { name: string; entry: EnvValue; target: OryKey }[] = [];
  for (const [name, entry] of environment) {
    const wanted = normalize(name);
    // The DSN is held to its role and database by the Compose checks and database-urls.
    if (wanted === "dsn") continue;
    const whole = keys.get(wanted);
    if (whole) targets.push({ name, entry, target: whole });
    const indexed = /^(.*)\.(\d+)$/.exec(wanted);
    const list = !whole && indexed?.[1] ? keys.get(indexed[1]) : undefined;
    if (list?.kind === "list") targets.push({ name, entry, target: { path: [...list.path, Number(indexed?.[2])], kind: "string" } });
  }
  // Whole lists first, then single entries (SECRETS_CIPHER_1): the order the
  // process environment lists them in is not fixed, so assume the worst.
  targets.sort((a, b) => a.target.path.length - b.target.path.length);
  for (const { name, entry, target } of targets) {
    const dotted = target.path.join(".");
    if (!entry.complete) {
      unresolved.add(dotted);
      continue;
    }
    setAt(config, target.path, parseValue(entry.value, target.kind));
    origins.set(dotted, { name, entry });
  }
  return { config, origins, unresolved };
}

/**
 * The configuration checks, run on what the binary would really run: a
 * problem the environment brings in (and the file alone does not have) is
 * reported on the variable that brought it. Moving the admin listener is
 * refused outright.
 */
export function checkOryEnvironment(args: {
  kind: OryKind;
  domain: Domain;
  service: ComposeService;
  file: YamlObject;
  fileLabel: string;
  overlay: OryOverlay;
}): Problem[] {
  const { kind, domain, service, file, fileLabel, overlay } = args;
  const problems: Problem[] = [];
  const reported = new Set<string>();
  const report = (where: string, message: string) => {
    if (reported.has(where)) return;
    reported.add(where);
    problems.push({ where, message });
  };

  const adminPort = kind === "kratos" ? SERVICE_PORTS[domain].kratosAdmin : SERVICE_PORTS[domain].hydraAdmin;
  for (const path of ADMIN_LISTENER) {
    const origin = overlay.origins.get(path);
    if (origin) {
      report(
        origin.entry.where,
        `moves the admin API's listener (${path}); it stays where the config file puts it (port ${adminPort}), reachable only on the private ${domain} network`,
      );
    }
  }

  const check = kind === "kratos" ? checkKratosConfig : checkHydraConfig;
  const ctx = { domain, file: fileLabel };
  const fromFile = new Set(check(file, ctx).map(({ where, message }) => `${where}\0${message}`));
  for (const problem of check(overlay.config, ctx)) {
    if (fromFile.has(`${problem.where}\0${problem.message}`)) continue;
    const path = problem.where.slice(fileLabel.length + 1).replace(/\[(\d+)\]/g, ".$1");
    const origin = originOf(path, overlay);
    // A value naming the other domain is reported by the Compose check for every environment.
    if (origin && crossDomainReason(origin.entry.value, domain)) continue;
    if (origin) report(origin.entry.where, problem.message);
    else report(`${service.where}.environment`, `${path} ${problem.message}`);
  }
  return problems;
}

/** The variable that set `path`, or one of its parents or children. */
function originOf(path: string, overlay: OryOverlay) {
  for (const [set, origin] of overlay.origins) {
    if (set === path || path.startsWith(`${set}.`) || set.startsWith(`${path}.`)) return origin;
  }
  return undefined;
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/_/g, ".");
}

/** Every leaf key of a config file, with the kind of value it holds. */
function keysOf(node: YamlValue, path: (string | number)[] = []): OryKey[] {
  if (Array.isArray(node)) {
    if (node.every((item) => !isObject(item) && !Array.isArray(item))) return [{ path, kind: "list" }];
    return node.flatMap((item, index) => keysOf(item, [...path, index]));
  }
  if (isObject(node)) return Object.entries(node).flatMap(([k, v]) => keysOf(v, [...path, k]));
  const kind: ValueKind = typeof node === "number" ? "number" : typeof node === "boolean" ? "boolean" : "string";
  return path.length > 0 ? [{ path, kind }] : [];
}

function parseValue(value: string, kind: ValueKind): YamlValue {
  switch (kind) {
    case "number":
      return Number(value);
    case "boolean":
      return value === "true" || value === "1";
    case "list":
      return parseList(value);
    default:
      return value;
  }
}

function parseList(value: string): YamlValue[] {
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.map((item) => String(item)) : [];
  } catch {
    return value.split(",");
  }
}

function setAt(root: YamlObject, path: (string | number)[], value: YamlValue): void {
  let node: YamlValue = root;
  for (const [i, segment] of path.entries()) {
    const last = i === path.length - 1;
    const nextIsIndex = typeof path[i + 1] === "number";
    if (Array.isArray(node) && typeof segment === "number") {
      if (last) node[segment] = value;
      else node = node[segment] ??= nextIsIndex ? [] : {};
    } else if (isObject(node) && typeof segment === "string") {
      if (last) node[segment] = value;
      else {
        const child: YamlValue | undefined = node[segment];
        node = node[segment] = isObject(child) || Array.isArray(child) ? child : nextIsIndex ? [] : {};
      }
    } else {
      return; // the file has a scalar where the variable expects a mapping: nothing the binary would accept either
    }
  }
}

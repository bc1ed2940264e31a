import path from "node:path";
import type { Domain } from "@olympus/runtime-config/config";
import { oryConfigPath, type OryService, type Stage } from "../../paths";
import type { Problem } from "../../problem";
import { interpolate, type Env } from "../../verify-config/env-file";
import { isObject, readYamlObject, type YamlObject, type YamlValue } from "../../yaml";

/** One Compose file as `docker compose up` would read it, for the contract checks. */
export interface ComposeUnderTest {
  stage: Stage;
  /** The file, to resolve its bind mounts, and its label in messages. */
  file: string;
  label: string;
  /** As written (YAML merge keys applied, variables not interpolated). */
  doc: YamlObject;
  /** The deployment's env file (production) or {} (development: every value is written out). */
  env: Env;
}

export type Add = (where: string, message: string) => void;

/** Collects problems under the file's label: add("services.ciam-hera", "…"). */
export function collector(c: ComposeUnderTest): { problems: Problem[]; add: Add } {
  const problems: Problem[] = [];
  return { problems, add: (where, message) => problems.push({ where: `${c.label}:${where}`, message }) };
}

export function serviceOf(c: ComposeUnderTest, name: string): YamlObject | undefined {
  const services = isObject(c.doc.services) ? c.doc.services : {};
  const found = services[name];
  return isObject(found) ? found : undefined;
}

export function serviceNames(c: ComposeUnderTest): string[] {
  return Object.keys(isObject(c.doc.services) ? c.doc.services : {});
}

/** The container's environment as the binary receives it (interpolated with the env file). */
export function environmentOf(c: ComposeUnderTest, service: YamlObject): Record<string, string> {
  const raw = service.environment;
  const entries: [string, string][] = Array.isArray(raw)
    ? strings(raw).flatMap((entry) =>
        entry.includes("=") ? [[entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)] as [string, string]] : [],
      )
    : isObject(raw)
      ? Object.entries(raw).flatMap(([k, v]) => (v === null ? [] : [[k, String(v)] as [string, string]]))
      : [];
  return Object.fromEntries(entries.map(([k, v]) => [k, interpolate(v, c.env)]));
}

/** The networks a service joins, with its aliases on each; no `networks` key means Compose's `default`. */
export function networksOf(service: YamlObject): Map<string, string[]> {
  const value = service.networks;
  if (value === undefined) return new Map([["default", []]]);
  if (Array.isArray(value)) return new Map(strings(value).map((n) => [n, []]));
  if (!isObject(value)) return new Map();
  return new Map(Object.entries(value).map(([n, options]) => [n, isObject(options) ? strings(options.aliases) : []]));
}

/** A network's definition under the top-level `networks:` (undefined for `default` and undeclared ones). */
export function networkDefinition(c: ComposeUnderTest, name: string): YamlObject | undefined {
  const networks = isObject(c.doc.networks) ? c.doc.networks : {};
  const found = networks[name];
  return isObject(found) ? found : undefined;
}

/** The host file a container path comes from, through the service's longest bind mount holding it. */
export function hostPathOf(c: ComposeUnderTest, service: YamlObject, containerPath: string): string | undefined {
  let best: { source: string; target: string } | undefined;
  for (const volume of Array.isArray(service.volumes) ? service.volumes : []) {
    const [source, target] = typeof volume === "string" ? volume.split(":") : [];
    if (!source || !target || !/^[./~]/.test(source)) continue;
    const inside = containerPath === target || containerPath.startsWith(`${target.replace(/\/$/, "")}/`);
    if (inside && (!best || target.length > best.target.length)) best = { source, target };
  }
  return best ? path.resolve(path.dirname(c.file), best.source, path.relative(best.target, containerPath)) : undefined;
}

/** The Ory config file the stage ships for a domain's Kratos or Hydra. */
export function oryConfig(c: ComposeUnderTest, domain: Domain, kind: OryService): YamlObject {
  return readYamlObject(oryConfigPath(c.stage, domain, kind));
}

export function strings(value: YamlValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** "http://x/" → "http://x": URLs compared the way the apps normalise them. */
export function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

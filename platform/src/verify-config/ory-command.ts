import path from "node:path";
import type { Domain } from "@olympus/runtime-config/config";
import type { Problem } from "../problem";
import { isObject, type YamlValue } from "../yaml";
import type { ComposeService } from "./compose-model";
import { interpolate, type Env } from "./env-file";

/**
 * What a Kratos or Hydra container really runs: every config file it is
 * started with (-c/--config) must be the file verify-config checked, reached
 * through the service's own bind mounts, and never with --dev, which turns
 * off the binaries' production safeguards (secure cookies, HTTPS issuer).
 * The image's own entrypoint stays, so the command is what the binary gets.
 *
 * A serving Kratos may also read, after the checked file, the overlay that
 * `<domain>-kratos-settings` renders from Athena's settings: a file on that
 * named volume, mounted read-only. Its content changes at run time, so it
 * cannot be checked here; only where it comes from is.
 */
export function checkOryCommand(
  service: ComposeService,
  checkedFile: string,
  composeDir: string,
  env: Env,
  overlayVolume?: string,
): Problem[] {
  const problems: Problem[] = [];
  if (service.spec.entrypoint !== undefined) {
    problems.push({
      where: `${service.where}.entrypoint`,
      message: "replaces the image's own entrypoint, so the command below says nothing certain about what runs; remove it",
    });
  }
  const args = commandArgs(service.spec.command, env);
  if (args.includes("--dev")) {
    problems.push({
      where: `${service.where}.command`,
      message: "--dev turns off the production safeguards (secure cookies, HTTPS-only URLs); remove it",
    });
  }
  const configs = configArgs(args);
  if (configs.length === 0)
    problems.push({
      where: `${service.where}.command`,
      message: `names no config file; start it with -c and the mount of ${path.basename(checkedFile)}`,
    });
  for (const [index, config] of configs.entries()) {
    if (index > 0 && overlayVolume !== undefined) {
      const mount = namedVolumeMount(config, service.spec.volumes);
      if (mount?.volume === overlayVolume && mount.readOnly) continue;
      problems.push({
        where: `${service.where}.command`,
        message: `reads ${config}, which is neither the checked ${path.relative(composeDir, checkedFile)} nor the settings overlay on the ${overlayVolume} volume mounted read-only`,
      });
      continue;
    }
    const host = hostPath(config, service.spec.volumes, composeDir);
    if (host !== path.resolve(checkedFile)) {
      problems.push({
        where: `${service.where}.command`,
        message: `reads ${config}, which is ${host ? `the host's ${path.relative(composeDir, host)}` : "no file mounted from this folder"}, not the checked ${path.relative(composeDir, checkedFile)}`,
      });
    }
  }
  return problems;
}

function commandArgs(command: YamlValue | undefined, env: Env): string[] {
  if (typeof command === "string") return interpolate(command, env).split(/\s+/).filter(Boolean);
  if (Array.isArray(command)) return command.map((arg) => interpolate(String(arg), env));
  return [];
}

/** The values of every -c / --config (also -c=… / --config=…). */
function configArgs(args: readonly string[]): string[] {
  const configs: string[] = [];
  for (const [i, arg] of args.entries()) {
    const inline = /^(?:-c|--config)=(.+)$/.exec(arg)?.[1];
    if (inline) configs.push(inline);
    else if ((arg === "-c" || arg === "--config") && args[i + 1]) configs.push(args[i + 1] ?? "");
  }
  return configs;
}

/** The named volume Kratos' settings overlay comes from, written by the domain's kratos-settings service. */
export function settingsOverlayVolume(domain: Domain): string {
  return `${domain}-kratos-settings`;
}

/** The named volume ("name:/target[:ro]") holding a container path, if a named volume holds it. */
function namedVolumeMount(containerPath: string, volumes: YamlValue | undefined): { volume: string; readOnly: boolean } | undefined {
  for (const volume of Array.isArray(volumes) ? volumes : []) {
    if (typeof volume !== "string") continue;
    const [source, target, mode] = volume.split(":");
    if (!source || !target || /^[./~]/.test(source)) continue;
    if (containerPath.startsWith(`${target.replace(/\/$/, "")}/`))
      return { volume: source, readOnly: (mode ?? "").split(",").includes("ro") };
  }
  return undefined;
}

/** The host file a container path comes from, through the longest bind mount that holds it. */
function hostPath(containerPath: string, volumes: YamlValue | undefined, composeDir: string): string | undefined {
  let best: { target: string; source: string } | undefined;
  for (const volume of Array.isArray(volumes) ? volumes : []) {
    const mount = bindMount(volume);
    if (!mount) continue;
    const inside = containerPath === mount.target || containerPath.startsWith(`${mount.target.replace(/\/$/, "")}/`);
    if (inside && (!best || mount.target.length > best.target.length)) best = mount;
  }
  if (!best) return undefined;
  return path.resolve(composeDir, best.source, path.relative(best.target, containerPath));
}

/** A bind mount ("./src:/target:ro" or the long syntax); named volumes hold no checked file. */
function bindMount(volume: YamlValue): { source: string; target: string } | undefined {
  if (typeof volume === "string") {
    const [source, target] = volume.split(":");
    return source && target && /^[./~]/.test(source) ? { source, target } : undefined;
  }
  if (isObject(volume) && volume.type === "bind" && typeof volume.source === "string" && typeof volume.target === "string") {
    return { source: volume.source, target: volume.target };
  }
  return undefined;
}

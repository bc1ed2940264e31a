import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { renderKratosOverlayYaml, type RenderOptions } from "./overlay";
import { readKratosSettings, type ReadKratosSettingsOptions } from "./read";

export interface SyncKratosOverlayOptions extends ReadKratosSettingsOptions, RenderOptions {
  /** The overlay file Kratos reads as its second config. */
  file: string;
}

export interface SyncResult {
  /** Whether the file was (re)written. */
  changed: boolean;
  file: string;
  /** Stored keys left out because their text is unusable (to log; never values). */
  invalid: string[];
}

/**
 * Renders the domain's settings into the overlay file. The file is replaced
 * only when its content changes — every write makes Kratos reload its
 * config — and atomically (a temporary file in the same folder renamed over
 * it), so Kratos' watcher never reads half a file. Mode 0600: it carries the
 * SMTP password and client secrets.
 */
export async function syncKratosOverlay(options: SyncKratosOverlayOptions): Promise<SyncResult> {
  const { settings, invalid } = await readKratosSettings(options);
  const content = renderKratosOverlayYaml(settings, options);
  const changed = await writeFileIfChanged(options.file, content);
  return { changed, file: options.file, invalid };
}

/** Writes `content` to `file` atomically with mode 0600 unless it already holds exactly that; returns whether it wrote. */
export async function writeFileIfChanged(file: string, content: string): Promise<boolean> {
  const current = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (current === content) return false;
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  // Same folder as the target: rename is atomic only within one file system.
  const temporary = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temporary, content, { mode: 0o600, flag: "wx" });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return true;
}

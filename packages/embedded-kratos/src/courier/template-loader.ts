import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { ORY_HTTP_CLIENT, privateIpPolicyOf, type ResilientOptions } from "@olympus/server-kit/http";
import type { KratosConfig } from "../config/load";
import { FetcherError, fetchText } from "../fetcher/fetcher";
import { goErrnoText } from "../fetcher/go-errno";
import { KratosError } from "../http/errors";
import { type CompiledTemplate, compileTemplate, TemplateExecError, TemplateParseError } from "./gotemplate";

/** load_template.go `Cache, _ = lru.New[string, Template](16)`. */
export const TEMPLATE_CACHE_SIZE = 16;

/**
 * hashicorp/golang-lru's Cache as load_template.go uses it: Get marks an
 * entry as recently used, Add evicts the least recently used one beyond the
 * size.
 */
export class TemplateCache {
  private readonly entries = new Map<string, CompiledTemplate>();

  constructor(private readonly size = TEMPLATE_CACHE_SIZE) {}

  get(key: string): CompiledTemplate | undefined {
    const template = this.entries.get(key);
    if (template === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, template);
    return template;
  }

  add(key: string, template: CompiledTemplate): void {
    this.entries.delete(key);
    this.entries.set(key, template);
    while (this.entries.size > this.size) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}

export interface TemplateLoaderOptions {
  /** Replaces the registry's HTTPClient options built from config (tests). */
  client?: ResilientOptions;
}

/** One template file of a message: its path below `template_override_path`, the configured URL if any, the built-in text. */
export interface TemplateSource {
  /** e.g. `recovery_code/valid/email.subject.gotmpl`: the override file and the cache key of it and of the built-in. */
  name: string;
  /** The `courier.templates.*` URL for this part, as the config holds it now ("" or undefined: none). */
  remoteUrl: string | undefined;
  builtIn: string;
  /** LoadHTML: parsed as html/template (contextual escaping), else text/template (LoadText). */
  html?: boolean;
}

/**
 * courier/template/load_template.go: templates are loaded when a message
 * needs them — LoadText/LoadHTML at queue time (subject, plaintext, SMS body)
 * and at dispatch (the HTML body) — not at start-up. A configured URL goes to
 * loadRemoteTemplate (ory/x fetcher with the registry's HTTPClient, so
 * `http(s)://` too, under `clients.http.disallow_private_ip_ranges`), else
 * loadTemplate reads `<template_override_path>/<name>` when it exists and
 * falls back to the built-in text (loadBuiltInTemplate). A loaded template is
 * kept in an LRU of 16 keyed by URL or by name; a failed load is not kept.
 *
 * Kratos' cache is package-level, one per process; here each instance has its
 * own, because the dev stack and tests run several instances in one process
 * (CIAM and IAM) and the name keys would hand one domain's override files to
 * the other.
 */
export class TemplateLoader {
  private readonly cache = new TemplateCache();

  constructor(
    private readonly config: KratosConfig,
    private readonly options: TemplateLoaderOptions = {},
  ) {}

  /**
   * The compiled template, or a KratosError 500 whose message is the load
   * error's text — QueueEmail/QueueSMS return it as it is and the flow's
   * error handler answers it as herodot's default 500. `signal` is the
   * request's context (LoadText/LoadHTML take it): a client that goes away
   * cancels the fetch.
   */
  async load(source: TemplateSource, signal?: AbortSignal): Promise<CompiledTemplate> {
    const html = source.html === true;
    return source.remoteUrl ? this.loadRemote(source.remoteUrl, html, signal) : this.loadNamed(source.name, source.builtIn, html);
  }

  /** loadRemoteTemplate: fetched (any fetcher scheme), parsed with the URL as its name, cached by URL. */
  private async loadRemote(url: string, html: boolean, signal: AbortSignal | undefined): Promise<CompiledTemplate> {
    const key = cacheKey(url, html);
    const cached = this.cache.get(key);
    if (cached) return cached;
    let text: string;
    try {
      text = await fetchText(url, {
        // RegistryDefault.HTTPClient: the resilient client (two retries, 30 s per attempt) under clients.http.
        client: { ...(this.options.client ?? { ...ORY_HTTP_CLIENT, ...privateIpPolicyOf(this.config) }), ...(signal ? { signal } : {}) },
        configSource: this.config.source,
      });
    } catch (error) {
      if (error instanceof FetcherError) throw new KratosError(500, { message: error.message });
      throw error;
    }
    const template = compile(text, url, html);
    this.cache.add(key, template);
    return template;
  }

  /** loadTemplate: the override file when it exists (fs.Glob of the name), else loadBuiltInTemplate; both cached by name. */
  private async loadNamed(name: string, builtIn: string, html: boolean): Promise<CompiledTemplate> {
    const key = cacheKey(name, html);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const overridePath = this.config.courier.template_override_path;
    const file = overridePath ? path.join(path.resolve(path.dirname(this.config.source), overridePath), name) : undefined;
    let text = builtIn;
    const overridden = file !== undefined && (await exists(file));
    if (file && overridden) {
      try {
        text = await readFile(file, "utf8");
      } catch (error) {
        // template.ParseFS: fs.ReadFile's *PathError.
        throw new KratosError(500, { message: `open ${file}: ${goErrnoText(error)}` });
      }
    }
    // loadTemplate names an override file's template by its base name (template.New(filepath.Base(name)).ParseFS), loadBuiltInTemplate by the whole name.
    const template = compile(text, overridden ? path.posix.basename(name) : name, html);
    this.cache.add(key, template);
    return template;
  }
}

/**
 * Kratos keys its cache by name or URL alone, so a URL used for both the
 * plaintext and the HTML part renders as whichever parse came first; here
 * the HTML parse is kept apart, so HTML mail always escapes its values.
 */
const cacheKey = (key: string, html: boolean) => (html ? `html:${key}` : key);

/**
 * template.New(name).Funcs(sprig.HermeticTxtFuncMap()).Parse (htemplate for
 * HTML): a parse error is the load's error, and so is an execution error
 * (LoadText/LoadHTML return Execute's error as it is): herodot's 500 with Go's text.
 */
function compile(text: string, name: string, html: boolean): CompiledTemplate {
  let template: CompiledTemplate;
  try {
    template = compileTemplate(text, name, { html });
  } catch (error) {
    if (error instanceof TemplateParseError) throw new KratosError(500, { message: error.message });
    throw error;
  }
  return {
    render(data) {
      try {
        return template.render(data);
      } catch (error) {
        if (error instanceof TemplateExecError) throw new KratosError(500, { message: error.message });
        throw error;
      }
    },
  };
}

/** fs.Glob of a name without meta characters: whether anything (a file or a folder) is there. */
async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

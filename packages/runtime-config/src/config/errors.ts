/** A configuration problem, always tied to the environment variable that causes it. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`${variable}: ${reason}`);
    this.name = "ConfigError";
  }
}

/** All problems found in one pass, rendered as the single line an operator sees. */
export class InvalidConfigError extends Error {
  constructor(readonly problems: readonly ConfigError[]) {
    const [first, ...rest] = problems;
    const more = rest.length > 0 ? ` (and ${rest.length} more: ${rest.map((p) => p.variable).join(", ")})` : "";
    super(`Invalid Olympus configuration: ${first?.message ?? "unknown problem"}${more}`);
    this.name = "InvalidConfigError";
  }
}

/** Kratos' config durations are Go durations in milliseconds: one parser for both servers, in the kit. */
export { parseGoDurationMs as parseDuration } from "@olympus/server-kit/duration";

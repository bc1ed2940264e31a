export { parseGoDurationMs, parseGoDurationSeconds } from "./go-duration";

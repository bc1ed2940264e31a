export { goAtoi, goParseInt, type GoParsedInt } from "./atoi";

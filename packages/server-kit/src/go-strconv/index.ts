export { goAtoi, goParseInt, type GoParsedInt } from "./atoi";
export { goIsPrint, goQuote, goQuoteBytes, goQuotedRune } from "./quote";

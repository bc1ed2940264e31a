export {
  startScriptedHttpServer,
  type ScriptedAnswer,
  type ScriptedHandler,
  type ScriptedHttpServer,
  type ScriptedRequest,
  useScriptedHttpServer,
} from "./scripted-http-server";
export { PROMETHEUSX_HTTP_FAMILIES, scrapePrometheus, seriesValue, type PrometheusScrape } from "./prometheus-scrape";
export { startedForSuite } from "./started-for-suite";

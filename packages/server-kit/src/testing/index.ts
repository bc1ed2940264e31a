export {
  startScriptedHttpServer,
  type ScriptedAnswer,
  type ScriptedHandler,
  type ScriptedHttpServer,
  type ScriptedRequest,
  useScriptedHttpServer,
} from "./scripted-http-server";
export { startedForSuite } from "./started-for-suite";

// gobwas/glob now lives in @olympus/server-kit: the outbound clients' private-IP exceptions compile their URLs with it too.
export { compileGlob } from "@olympus/server-kit/text";

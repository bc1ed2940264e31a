// Next.js apps: the shared base plus Next's own rules (core web vitals).
import nextPlugin from "@next/eslint-plugin-next";
import { defineConfig } from "eslint/config";
import globals from "globals";
import { base } from "./base.js";

export default defineConfig(base, {
  plugins: { "@next/next": nextPlugin },
  languageOptions: { globals: { ...globals.browser } },
  rules: {
    ...nextPlugin.configs.recommended.rules,
    ...nextPlugin.configs["core-web-vitals"].rules,
  },
});

// Type-aware rules for the servers and the SDK packages: code that handles
// untrusted HTTP input and money-grade secrets gets the checks that need the
// type checker (floating promises, unsafe `any` flows, misused promises).
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";
import { base } from "./base.js";

export const typed = defineConfig(
  base,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true } },
  },
  {
    // Config files outside the TypeScript project are linted without types.
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    extends: [tseslint.configs.disableTypeChecked],
  },
);

export default typed;

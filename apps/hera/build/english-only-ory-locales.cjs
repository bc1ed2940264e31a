// Turbopack loader (see next.config.ts): @ory/elements-react bundles its
// translations for ~80 languages into both of its entry files (about 3.7 MB
// each, more than a megabyte gzipped on every Hera page). Hera speaks English,
// so the other locale objects are emptied at build time. Elements itself is
// unchanged; `OryLocales.<lang>` just becomes `{}` (unused by Hera).
"use strict";

const LOCALE_BLOCK = /\/\/ src\/locales\/([\w-]+)\.json\n(var [\w$]+ = )\{\n[\s\S]*?\n\};\n/g;
const KEEP = new Set(["en"]);

module.exports = function englishOnlyOryLocales(source) {
  return source.replace(LOCALE_BLOCK, (block, locale, declaration) =>
    KEEP.has(locale) ? block : `// src/locales/${locale}.json: omitted by Hera's build\n${declaration}{};\n`,
  );
};

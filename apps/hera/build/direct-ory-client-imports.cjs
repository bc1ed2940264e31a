// Turbopack loader (see next.config.ts): @ory/client-fetch is one barrel over
// Ory's whole API — every model of Kratos, Hydra, Keto and Ory Network, about
// 80 kB gzip — and both Ory Elements and the package's own FrontendApi and
// helpers import from barrels (`@ory/client-fetch`, `../models/index`, `../`),
// which kept all of it in Hera's bundle. Each named import is pointed at the
// file that declares it, so only the models Elements reaches are bundled.
// Imports the map does not know are left as they were.
//
// Ory Elements' ESM files also import their siblings without an extension
// (`./session-provider`), which resolves to the CommonJS twin (`.js`) and,
// through it, `require("@ory/client-fetch")` — the whole package again; they
// are pointed at the `.mjs` file beside them, as are its imports of its own
// entry points (`@ory/elements-react/client`), which resolved the same way.
"use strict";

/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS loader, like its neighbour: Turbopack runs loaders as webpack did */
const fs = require("node:fs");
const path = require("node:path");
/* eslint-enable @typescript-eslint/no-require-imports */

const PACKAGE_ESM = path.join(path.dirname(require.resolve("@ory/client-fetch/package.json")), "dist", "esm");
const BARRELS = new Set(["index.js", "apis/index.js", "models/index.js", "contrib/index.js"]);
const DECLARATION = /^export (?:async )?(?:function\*?|const|let|var|class) ([A-Za-z0-9_$]+)/gm;

let declaredIn;

/** symbol → file (relative to dist/esm, without .js) that declares it. */
function declarations() {
  if (declaredIn) return declaredIn;
  declaredIn = new Map();
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith(".js")) {
        const relative = path.relative(PACKAGE_ESM, file).split(path.sep).join("/");
        if (BARRELS.has(relative)) continue;
        for (const [, name] of fs.readFileSync(file, "utf8").matchAll(DECLARATION)) {
          if (!declaredIn.has(name)) declaredIn.set(name, relative.replace(/\.js$/, ""));
        }
      }
    }
  };
  walk(PACKAGE_ESM);
  return declaredIn;
}

const NAMED_IMPORT = /import\s*\{([^}]*)\}\s*from\s*(["'])([^"']+)\2;?/g;

/** Whether `specifier`, imported by `resourcePath`, is one of the package's barrels. */
function isBarrel(specifier, resourcePath) {
  if (specifier === "@ory/client-fetch") return true;
  if (!specifier.startsWith(".") || !resourcePath.startsWith(PACKAGE_ESM)) return false;
  const target = path
    .relative(PACKAGE_ESM, path.resolve(path.dirname(resourcePath), specifier))
    .split(path.sep)
    .join("/");
  return target === "" || BARRELS.has(target) || BARRELS.has(`${target}.js`) || BARRELS.has(`${target}/index.js`);
}

/** How `resourcePath` imports dist/esm/`file`. */
function specifierFor(file, resourcePath) {
  if (!resourcePath.startsWith(PACKAGE_ESM)) return `@ory/client-fetch/dist/esm/${file}.js`;
  const relative = path.relative(path.dirname(resourcePath), path.join(PACKAGE_ESM, file)).split(path.sep).join("/");
  return `${relative.startsWith(".") ? relative : `./${relative}`}.js`;
}

const RELATIVE_FROM = /(from\s*)(["'])(\.\.?\/[^"']+)\2/g;

const ELEMENTS_DIST = path.dirname(require.resolve("@ory/elements-react"));
const ELEMENTS_ENTRIES = new Map([
  ["@ory/elements-react", "index.mjs"],
  ["@ory/elements-react/client", "client/index.mjs"],
]);
const PACKAGE_FROM = /(from\s*)(["'])(@ory\/elements-react(?:\/client)?)\2/g;

/**
 * `from "./x"` → `from "./x.mjs"` in an .mjs file, where that file exists;
 * Elements' imports of its own entry points likewise go to their .mjs files.
 */
function siblingsAsModules(source, resourcePath) {
  if (!resourcePath.endsWith(".mjs")) return source;
  const own = source.replace(PACKAGE_FROM, (clause, from, quote, specifier) => {
    if (!resourcePath.startsWith(ELEMENTS_DIST)) return clause;
    const relative = path
      .relative(path.dirname(resourcePath), path.join(ELEMENTS_DIST, ELEMENTS_ENTRIES.get(specifier)))
      .split(path.sep)
      .join("/");
    return `${from}${quote}${relative.startsWith(".") ? relative : `./${relative}`}${quote}`;
  });
  return own.replace(RELATIVE_FROM, (clause, from, quote, specifier) => {
    if (path.extname(specifier) !== "") return clause;
    return fs.existsSync(path.resolve(path.dirname(resourcePath), `${specifier}.mjs`)) ? `${from}${quote}${specifier}.mjs${quote}` : clause;
  });
}

module.exports = function directOryClientImports(source) {
  const resourcePath = this.resourcePath;
  return siblingsAsModules(source, resourcePath).replace(NAMED_IMPORT, (statement, names, quote, specifier) => {
    if (!isBarrel(specifier, resourcePath)) return statement;
    const map = declarations();
    const byFile = new Map();
    const unknown = [];
    for (const raw of names
      .split(",")
      .map((n) => n.trim())
      .filter(Boolean)) {
      const imported = raw.split(/\s+as\s+/)[0].trim();
      const file = map.get(imported);
      if (!file) unknown.push(raw);
      else byFile.set(file, [...(byFile.get(file) ?? []), raw]);
    }
    const lines = [...byFile].map(([file, list]) => `import { ${list.join(", ")} } from "${specifierFor(file, resourcePath)}";`);
    if (unknown.length > 0) lines.push(`import { ${unknown.join(", ")} } from ${quote}${specifier}${quote};`);
    return lines.join("\n");
  });
};

// Lint rules: typescript-eslint's recommended set, plus the layering of src/core (see README
// "Layout"): core is fetch-only and imports no runtime; only core/parquet (and the Worker and Node
// wasm loaders) imports the Parquet libraries; log/ and table/ use the ObjectStore contract but no
// backend; storage/ knows nothing of Delta; logstore/ imports no backend class; scan/ does not
// import write/; parquet/ and arrow/ know no Delta concepts. test/lint-boundaries.test.ts proves
// that each rule bites.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const RUNTIME = [
  { group: ["node:*", "fs", "path", "os", "crypto", "stream", "cloudflare:*"], message: "src/core is fetch-only: web APIs only." },
  { group: ["**/node/**", "**/worker/**"], message: "src/core must not import runtime-specific code." },
];
const PARQUET_LIBS = {
  group: ["hyparquet", "hyparquet/**", "hyparquet-compressors", "hyparquet-compressors/**", "hyparquet-writer", "hyparquet-writer/**", "parquet-wasm", "parquet-wasm/**"],
  message: "only src/core/parquet imports the Parquet libraries (use its readers, sources and writers).",
};
const NO_BACKEND = {
  group: ["**/storage/*", "!**/storage/object-store.js"],
  message: "log/ and table/ use the ObjectStore contract (storage/object-store.ts), never a storage backend.",
};
const NO_BACKEND_CLASS = {
  group: ["**/storage/s3.js", "**/storage/azure.js", "**/storage/gcs.js", "**/storage/http.js", "**/storage/memory.js", "**/storage/presigned-s3.js", "**/storage/prefixed.js", "**/storage/cache.js", "**/storage/counting.js", "**/storage/url.js"],
  message: "logstore/ picks strategies by store capabilities (ObjectStore.commitTarget), never by backend class.",
};
const DELTA_FOLDERS = ["log", "table", "schema", "expr", "scan", "write", "dml", "changes", "logstore", "assets"];
const delta = (message) => ({ group: DELTA_FOLDERS.flatMap((d) => [`**/${d}/*`, `../${d}/*`]), message });

/** no-restricted-imports for a folder of src/core: the core-wide patterns plus its own. */
const restrict = (files, ...patterns) => ({
  files,
  rules: { "no-restricted-imports": ["error", { patterns: [...RUNTIME, ...patterns] }] },
});

export default tseslint.config(
  { ignores: ["dist/**", "demo/dist/**", "node_modules/**", "coverage/**", "bench/out/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
  // Later entries win for the files they match, so each carries the core-wide patterns too.
  restrict(["src/core/**/*.ts"], PARQUET_LIBS),
  restrict(["src/core/parquet/**/*.ts"], delta("src/core/parquet knows Parquet and Arrow, not Delta.")),
  restrict(["src/core/arrow/**/*.ts"], PARQUET_LIBS, { group: ["**/parquet/*", ...DELTA_FOLDERS.filter((d) => d !== "schema").flatMap((d) => [`**/${d}/*`])], message: "src/core/arrow builds and reads Arrow data only (Delta types from schema/types.ts at most)." }),
  restrict(["src/core/log/**/*.ts", "src/core/table/**/*.ts"], PARQUET_LIBS, NO_BACKEND),
  restrict(["src/core/storage/**/*.ts"], PARQUET_LIBS, delta("src/core/storage knows nothing of Delta: objects, ranges, listings, conditional puts.")),
  restrict(["src/core/logstore/**/*.ts"], PARQUET_LIBS, NO_BACKEND_CLASS),
  restrict(["src/core/scan/**/*.ts"], PARQUET_LIBS, { group: ["**/write/*"], message: "scan/ must not import write/ (shared code belongs in arrow/, schema/ or parquet/)." }),
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
);

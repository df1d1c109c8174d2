/**
 * Builds the browser demo (demo/): bundles demo/src/main.ts — which reads tables through the
 * delta-edge/browser entry (src/browser/index.ts) — with rolldown, and writes one self-contained
 * demo/dist/index.html with demo/style.css and the bundle inlined (one file: no module paths to
 * serve, nothing for the linters to pick up). demo/dist is gitignored; `npm run build` runs this
 * (about half a second), and the Worker serves the folder as static assets (wrangler.toml
 * `[assets]`, and `npm start`).
 *
 *   node scripts/build-demo.mjs          (or: npm run build-demo)
 */
import { Buffer } from "node:buffer";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The demo's source folder. */
export const DEMO_DIR = join(ROOT, "demo");

/** The built demo (the Worker's static-assets folder). */
export const DEMO_DIST = join(DEMO_DIR, "dist");

/** Makes a script safe to inline in HTML: no `</script` and no `<!--` inside it. */
function inlineSafe(code) {
  return code.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\u0021--");
}

/**
 * Bundles the demo and writes demo/dist/index.html.
 * @param {{ outDir?: string, minify?: boolean }} [options]
 * @returns {Promise<{ file: string, bytes: number }>}
 */
export async function buildDemo(options = {}) {
  const outDir = options.outDir ?? DEMO_DIST;
  const { rolldown } = await import("rolldown");
  const bundle = await rolldown({
    input: join(DEMO_DIR, "src", "main.ts"),
    platform: "browser",
    resolve: { conditionNames: ["browser", "import", "default"] },
    logLevel: "warn",
  });
  const { output } = await bundle.generate({ format: "esm", codeSplitting: false, minify: options.minify ?? true });
  await bundle.close();
  const chunk = output.find((o) => o.type === "chunk");
  if (!chunk || chunk.type !== "chunk") throw new Error("rolldown produced no chunk for the demo");
  const extra = output.filter((o) => o.type !== "chunk");
  if (extra.length > 0) throw new Error(`the demo bundle emitted assets it cannot inline: ${extra.map((o) => o.fileName).join(", ")}`);
  const css = readFileSync(join(DEMO_DIR, "style.css"), "utf8");
  const shell = readFileSync(join(DEMO_DIR, "index.html"), "utf8");
  if (!shell.includes("<!-- STYLE -->") || !shell.includes("<!-- SCRIPT -->")) throw new Error("demo/index.html lacks the STYLE/SCRIPT markers");
  const html = shell
    .replace("<!-- STYLE -->", () => `<style>\n${css}</style>`)
    .replace("<!-- SCRIPT -->", () => `<script type="module">\n${inlineSafe(chunk.code)}\n</script>`);
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, "index.html");
  writeFileSync(file, html);
  return { file, bytes: Buffer.byteLength(html) };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const { file, bytes } = await buildDemo();
  console.log(`demo: ${file} (${(bytes / 1024).toFixed(0)} KiB) in ${Date.now() - started} ms`);
}

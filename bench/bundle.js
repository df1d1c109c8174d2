// Bundle benchmark (issue 13): the gzip size of what a page loads for the browser entry, by
// scripts/bundle-size.mjs (rolldown, minified, code splitting; initial chunks vs lazy ones),
// beside each budget. Sizes are deterministic: one run.
import { measureBundles } from "../scripts/bundle-size.mjs";

const KiB = (n) => Math.round((n / 1024) * 10) / 10;

export async function bundleBench() {
  const out = {};
  for (const m of await measureBundles()) {
    out[m.name] = {
      initialGzipKiB: KiB(m.initialGzip),
      initialMinifiedKiB: KiB(m.initialRaw),
      budgetKiB: m.budget === undefined ? null : KiB(m.budget),
      lazy: Object.fromEntries(m.lazy.map((l) => [l.modules.find((id) => id.includes("node_modules/"))?.split("/").slice(1, 3).join("/") ?? l.file, KiB(l.gzip)])),
    };
  }
  console.table(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, { "initial gzip KiB": v.initialGzipKiB, "minified KiB": v.initialMinifiedKiB, "budget KiB": v.budgetKiB ?? "-", "lazy chunks (gzip KiB)": JSON.stringify(v.lazy) }])));
  return out;
}

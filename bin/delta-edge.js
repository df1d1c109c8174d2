#!/usr/bin/env node
// The delta-edge CLI entry: runs the compiled CLI (built by `npm install` / `npm run build`).
import { main } from "../dist/node/cli/main.js";

// `delta-edge ... | head`: the reader went away; that ends the command, it is not an error.
process.stdout.on("error", (err) => {
  if (err?.code === "EPIPE") process.exit(0);
});

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    // main() reports every failure itself; this is a fault of the CLI: still one line
    console.error(`delta-edge: INTERNAL: ${String(err?.message ?? err).replace(/\s*\n\s*/g, " ")} (a bug in delta-edge)`);
    process.exit(1);
  },
);

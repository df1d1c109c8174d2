#!/usr/bin/env node
// The delta-edge CLI entry: runs the compiled CLI (built by `npm install` / `npm run build`).
import { main } from "../dist/node/cli/main.js";

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(String(err?.stack ?? err));
    process.exit(2);
  },
);

/**
 * The Cloudflare Workers entry ("delta-edge/worker"): the core library for code running in a
 * Worker. Worker-only pieces (the R2 binding store, the HTTP API) are added here as they land.
 */
export * from "../core/index.js";

/**
 * `.wasm` imports in Worker code: the Workers runtime (through wrangler's bundling rules) hands
 * them over as compiled `WebAssembly.Module`s.
 */
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}

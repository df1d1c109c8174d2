/**
 * A private S3 bucket for tests of signed reads: moto_server holds the objects, a SigV4 gateway in
 * front of it (servers/sigv4-gateway.ts) checks every signature against one test key pair, and
 * `putCors` sets the bucket's CORS rules with PutBucketCors (what a browser page on another
 * origin needs). `workerBindings` are the vars and secrets that make the Worker's
 * `POST /api/presign` sign for it. Tables are written straight to moto (setup, not under test).
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { S3Store } from "../../src/core/storage/s3.js";
import { setParquetWasm } from "../../src/core/parquet/wasm-loader.js";
import { MOTO_CREDENTIALS, startMoto, type MotoServer } from "./servers/moto.js";
import { startSigV4Gateway, type SigV4Gateway } from "./servers/sigv4-gateway.js";

// Table writes encode with parquet-wasm (registered from node_modules, as the Node entry does).
setParquetWasm(() => readFile(fileURLToPath(import.meta.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm"))));

/** The key pair the gateway accepts (the bucket's "real" credentials). */
export const BUCKET_KEYS = { accessKeyId: "AKIADELTAEDGETEST01", secretAccessKey: "delta-edge/test+secret/0123456789abcdef" } as const;
export const REGION = MOTO_CREDENTIALS.region;

/** A running signed bucket. */
export interface SignedBucket {
  moto: MotoServer;
  gateway: SigV4Gateway;
  bucket: string;
  /** A store writing straight to moto (no signature checks), rooted at `prefix`. */
  writer(prefix: string): S3Store;
  /** Sets the bucket's CORS rules: GET/HEAD from `origins`, the signing and Range headers allowed. */
  putCors(origins: readonly string[]): Promise<void>;
  /** Worker vars and secrets for presigning reads under `allow` (`bucket/prefix` entries). */
  workerBindings(allow: string, extra?: Record<string, string>): Record<string, string>;
  stop(): Promise<void>;
}

/** Starts moto and the gateway and creates `bucket`. */
export async function startSignedBucket(bucket = "lake"): Promise<SignedBucket> {
  const moto = await startMoto();
  const gateway = await startSigV4Gateway({ upstream: moto.endpoint, keys: { [BUCKET_KEYS.accessKeyId]: BUCKET_KEYS.secretAccessKey } });
  await moto.createBucket(bucket);
  return {
    moto,
    gateway,
    bucket,
    writer: (prefix) =>
      new S3Store({ bucket, prefix, endpoint: moto.endpoint, ...MOTO_CREDENTIALS, client: { allowHttp: true, retries: 0 } }),
    async putCors(origins) {
      const headers = ["Authorization", "Range", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token", "x-amz-user-agent"];
      const expose = ["Content-Range", "Content-Length", "ETag", "Last-Modified", "Accept-Ranges"];
      const xml =
        "<CORSConfiguration><CORSRule>" +
        origins.map((o) => `<AllowedOrigin>${o}</AllowedOrigin>`).join("") +
        "<AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>" +
        headers.map((h) => `<AllowedHeader>${h}</AllowedHeader>`).join("") +
        expose.map((h) => `<ExposeHeader>${h}</ExposeHeader>`).join("") +
        "<MaxAgeSeconds>600</MaxAgeSeconds></CORSRule></CORSConfiguration>";
      const md5 = createHash("md5").update(xml).digest("base64");
      const res = await moto.client().fetch(`${moto.endpoint}/${bucket}?cors`, { method: "PUT", body: xml, headers: { "Content-MD5": md5, "Content-Type": "application/xml" } });
      if (!res.ok) throw new Error(`PutBucketCors failed: ${res.status} ${await res.text()}`);
    },
    workerBindings: (allow, extra = {}) => ({
      AWS_ENDPOINT_URL: gateway.endpoint,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: BUCKET_KEYS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: BUCKET_KEYS.secretAccessKey,
      AWS_ALLOW_HTTP: "true",
      PRESIGN_ALLOW: allow,
      ...extra,
    }),
    async stop() {
      await gateway.stop();
      await moto.stop();
    },
  };
}

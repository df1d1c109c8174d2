/**
 * moto_server for tests: one python moto server (S3 and DynamoDB on the same port) on 127.0.0.1
 * with an ephemeral port: moto's app run by moto_serialized.py (one request at a time, so two
 * racing conditional writes cannot both succeed, as they can on moto's threaded server), or
 * `moto_server` from PATH when python3 cannot import moto. Buckets
 * are created with a signed request (aws4fetch). moto accepts any credentials unless told to
 * enforce IAM auth (`enforceAuth`), in which case signatures are really checked. `motoForFile`
 * is the per-test-file setup (start, bucket, stop) the moto test files share.
 */
import { fileURLToPath } from "node:url";
import { AwsClient } from "aws4fetch";
import { afterAll, beforeAll } from "vitest";
import { findOnPath, requireServer, runsOk, startProcess, type Availability, type ServerProcess } from "./process.js";

/** Credentials and region to use against moto. */
export const MOTO_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing", region: "us-east-1" } as const;

/** A running moto server. */
export interface MotoServer {
  /** Endpoint URL, e.g. http://127.0.0.1:41234 (S3 and DynamoDB). */
  endpoint: string;
  /** Creates a bucket (path-style, signed with {@link MOTO_CREDENTIALS} unless other keys are given). */
  createBucket(name: string, credentials?: { accessKeyId: string; secretAccessKey: string }): Promise<void>;
  /** Signed request helper for test setup (IAM, DynamoDB, raw S3 calls). */
  client(credentials?: { accessKeyId: string; secretAccessKey: string }, service?: string): AwsClient;
  process: ServerProcess;
  stop(): Promise<void>;
}

let command: [string, string[]] | undefined;

/** moto's server serving one request at a time, so its conditional writes are atomic as AWS's are. */
const SERIALIZED = fileURLToPath(new URL("./moto_serialized.py", import.meta.url));

/** Whether moto can run here; throws under CI=true when it cannot. */
export function motoAvailability(): Availability {
  let reason: string | undefined;
  // moto's own app behind one lock (moto_serialized.py says why); moto_server itself as a fallback
  if (runsOk("python3", ["-c", "import moto.server, flask, werkzeug"])) command = ["python3", [SERIALIZED]];
  else {
    const onPath = findOnPath("moto_server");
    if (onPath !== undefined) command = [onPath, []];
    else reason = "neither python3 with moto nor moto_server found (pip install 'moto[server]')";
  }
  return requireServer("moto_server (S3 + DynamoDB)", reason);
}

/** Starts moto on 127.0.0.1 with an ephemeral port. `enforceAuth` turns on IAM signature checks after `n` unauthenticated calls. */
export async function startMoto(options: { enforceAuthAfter?: number } = {}): Promise<MotoServer> {
  if (command === undefined && !motoAvailability().available) throw new Error("moto is not available");
  const [cmd, prefix] = command as [string, string[]];
  const env: Record<string, string> = { PYTHONUNBUFFERED: "1", MOTO_CALL_RESET_API: "false" };
  if (options.enforceAuthAfter !== undefined) env.INITIAL_NO_AUTH_ACTION_COUNT = String(options.enforceAuthAfter);
  const process = await startProcess({
    name: "moto_server",
    command: cmd,
    args: [...prefix, "-H", "127.0.0.1", "-p", "0"],
    env,
    ready: /Running on (http:\/\/127\.0\.0\.1:\d+)/,
  });
  const endpoint = process.url;
  const client = (credentials: { accessKeyId: string; secretAccessKey: string } = MOTO_CREDENTIALS, service = "s3"): AwsClient =>
    new AwsClient({ ...credentials, service, region: MOTO_CREDENTIALS.region, retries: 0 });
  return {
    endpoint,
    client,
    process,
    async createBucket(name, credentials) {
      const res = await client(credentials).fetch(`${endpoint}/${name}`, { method: "PUT" });
      if (!res.ok) throw new Error(`creating bucket ${name} failed: ${res.status} ${await res.text()}`);
    },
    stop: () => process.stop(),
  };
}

/** The moto server of one test file, from {@link motoForFile}. */
export interface MotoForFile {
  /** Whether moto runs here (under CI=true a missing moto has thrown already). */
  availability: Availability;
  /** The bucket created for the file (`<prefix>-<time>`). */
  bucket: string;
  /** The running server; only inside tests of a suite skipped when moto is not available. */
  server(): MotoServer;
}

/**
 * Starts moto for the calling test file (vitest beforeAll, when available), creates `bucket`
 * and runs `setup` (e.g. a lock table), and stops it in afterAll. Call at module level.
 */
export function motoForFile(bucketPrefix: string, setup?: (moto: MotoServer) => Promise<void>): MotoForFile {
  const availability = motoAvailability();
  const bucket = `${bucketPrefix}-${Date.now().toString(36)}`;
  let moto: MotoServer | undefined;
  beforeAll(async () => {
    if (!availability.available) return;
    moto = await startMoto();
    await moto.createBucket(bucket);
    await setup?.(moto);
  });
  afterAll(async () => {
    await moto?.stop();
  });
  return {
    availability,
    bucket,
    server() {
      if (moto === undefined) throw new Error("moto is not running (use it inside a suite skipped when moto is not available)");
      return moto;
    },
  };
}

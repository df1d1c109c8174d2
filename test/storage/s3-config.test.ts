/**
 * Storage options: delta-rs / object_store key names and aliases (case-insensitive), explicit
 * options over env vars, unknown explicit keys as errors naming them (unknown env vars ignored),
 * contradictions naming both options, value parsing, the commit-strategy options parsed for the
 * LogStore layer, client settings, and storeFromUrl building S3/GCS/Azure stores from them.
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/errors.js";
import { AzureStore } from "../../src/core/storage/azure.js";
import { GcsStore } from "../../src/core/storage/gcs.js";
import { S3Store } from "../../src/core/storage/s3.js";
import { copyConditionOf, parseCopyIfNotExists, s3Config } from "../../src/core/storage/s3-config.js";
import { clientConfig, isKnownStorageOption, localConfig, resolveOptions } from "../../src/core/storage/storage-options.js";
import { storeFromUrl } from "../../src/core/storage/url.js";

const creds = { AWS_ACCESS_KEY_ID: "AKID", AWS_SECRET_ACCESS_KEY: "secret" };

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

describe("s3Config", () => {
  it("reads delta-rs names, object_store aliases and lower-case spellings", () => {
    const upper = s3Config({
      options: {
        AWS_ENDPOINT_URL: "http://127.0.0.1:9000",
        AWS_REGION: "eu-west-1",
        ...creds,
        AWS_SESSION_TOKEN: "tok",
        AWS_ALLOW_HTTP: "true",
        AWS_VIRTUAL_HOSTED_STYLE_REQUEST: "false",
        TIMEOUT: "45s",
      },
    });
    const lower = s3Config({
      options: {
        endpoint: "http://127.0.0.1:9000",
        aws_region: "eu-west-1",
        access_key_id: "AKID",
        aws_secret_access_key: "secret",
        token: "tok",
        allow_http: "1",
        virtual_hosted_style_request: "no",
        aws_timeout: "45 seconds",
      },
    });
    const expected = {
      endpoint: "http://127.0.0.1:9000",
      region: "eu-west-1",
      accessKeyId: "AKID",
      secretAccessKey: "secret",
      sessionToken: "tok",
      virtualHostedStyle: false,
      client: { allowHttp: true, timeoutMs: 45_000 },
    };
    expect(upper).toEqual(expected);
    expect(lower).toEqual(expected);
  });

  it("lets explicit options override env vars and ignores unknown env vars", () => {
    const config = s3Config({
      env: { AWS_REGION: "us-west-2", AWS_DEFAULT_REGION: "x", AWS_PROFILE: "dev", AWS_SOMETHING_NEW: "1", PATH: "/bin", TIMEOUT: "oops" },
      options: { region: "ap-south-1" },
    });
    expect(config).toEqual({ region: "ap-south-1" });
    expect(s3Config({ env: { AWS_DEFAULT_REGION: "eu-north-1" } }).region).toBe("eu-north-1");
  });

  it("rejects unknown explicit options, naming them", () => {
    const error = thrown(() => s3Config({ options: { AWS_REGOIN: "x" } }));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain('"AWS_REGOIN"');
    // Known to another backend only: accepted and ignored (a shell may carry both kinds).
    expect(s3Config({ options: { AZURE_STORAGE_ACCOUNT_NAME: "acct" } })).toEqual({});
    expect(isKnownStorageOption("azure_storage_account_key")).toBe(true);
    expect(isKnownStorageOption("aws_timeout")).toBe(true);
    expect(isKnownStorageOption("nope")).toBe(false);
  });

  it("names both options when they contradict", () => {
    const both = thrown(() => s3Config({ options: { AWS_VIRTUAL_HOSTED_STYLE_REQUEST: "true", AWS_FORCE_PATH_STYLE: "true" } }));
    expect(both).toBeInstanceOf(InvalidInputError);
    expect(both.message).toContain("AWS_VIRTUAL_HOSTED_STYLE_REQUEST");
    expect(both.message).toContain("AWS_FORCE_PATH_STYLE");
    expect(s3Config({ options: { AWS_FORCE_PATH_STYLE: "true" } }).virtualHostedStyle).toBe(false);
    expect(s3Config({ options: { AWS_VIRTUAL_HOSTED_STYLE_REQUEST: "true", AWS_FORCE_PATH_STYLE: "false" } }).virtualHostedStyle).toBe(true);
    const twice = thrown(() => s3Config({ options: { AWS_REGION: "a", region: "b" } }));
    expect(twice.message).toMatch(/"AWS_REGION" and "region"/);
    expect(s3Config({ options: { AWS_REGION: "a", region: "a" } }).region).toBe("a");
  });

  it("validates values, naming the option", () => {
    expect(thrown(() => s3Config({ options: { AWS_ALLOW_HTTP: "maybe" } })).message).toContain('"AWS_ALLOW_HTTP"');
    expect(thrown(() => s3Config({ options: { timeout: "30" } })).message).toMatch(/"timeout" must be a duration/);
    expect(thrown(() => s3Config({ options: { max_retries: "-1" } })).message).toContain('"max_retries"');
    expect(thrown(() => s3Config({ options: { MULTIPART_PART_SIZE: "1MiB" } })).message).toContain("5MiB");
    expect(thrown(() => s3Config({ options: { LIST_PAGE_SIZE: "0" } })).message).toContain('"LIST_PAGE_SIZE"');
    expect(thrown(() => s3Config({ options: { AWS_UNSIGNED_PAYLOAD: "false" } })).message).toContain("UNSIGNED-PAYLOAD");
    expect(s3Config({ options: { MULTIPART_THRESHOLD: "32MiB", MULTIPART_PART_SIZE: "8 MiB" } })).toMatchObject({
      multipartThresholdBytes: 32 * 1024 * 1024,
      multipartPartSizeBytes: 8 * 1024 * 1024,
    });
  });

  it("parses the commit-strategy options for the LogStore layer without acting on them", () => {
    const config = s3Config({
      options: {
        ...creds,
        AWS_REGION: "us-east-1",
        AWS_CONDITIONAL_PUT: "etag",
        AWS_COPY_IF_NOT_EXISTS: "header: cf-copy-destination-if-none-match: *",
        AWS_S3_ALLOW_UNSAFE_RENAME: "true",
        AWS_S3_LOCKING_PROVIDER: "dynamodb",
        DELTA_DYNAMO_TABLE_NAME: "locks",
        AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:4566",
      },
    });
    expect(config.commit).toEqual({
      conditionalPut: "etag",
      copyIfNotExists: { kind: "header", header: "cf-copy-destination-if-none-match", value: "*" },
      allowUnsafeRename: true,
      lockingProvider: "dynamodb",
      dynamo: {
        tableName: "locks",
        billingMode: "PAY_PER_REQUEST",
        endpoint: "http://127.0.0.1:4566",
        region: "us-east-1",
        accessKeyId: "AKID",
        secretAccessKey: "secret",
      },
    });
    expect(s3Config({ options: { AWS_S3_LOCKING_PROVIDER: "DynamoDB" } }).commit?.dynamo?.tableName).toBe("delta_log");
    expect(s3Config({ options: { DELTA_DYNAMO_MAX_ELAPSED_REQUEST_TIME: "60" } }).commit?.dynamo?.maxElapsedRequestTimeMs).toBe(60_000);
    expect(thrown(() => s3Config({ options: { AWS_CONDITIONAL_PUT: "yes" } })).message).toContain('"AWS_CONDITIONAL_PUT"');
    expect(thrown(() => s3Config({ options: { AWS_S3_LOCKING_PROVIDER: "zookeeper" } })).message).toContain('"AWS_S3_LOCKING_PROVIDER"');
    expect(thrown(() => s3Config({ options: { DELTA_DYNAMO_BILLING_MODE: "free" } })).message).toContain("DELTA_DYNAMO_BILLING_MODE");
    const store = storeFromUrl({ url: "s3://b/t", options: { ...creds, conditional_put: "etag" } }) as S3Store;
    expect(store.commit).toEqual({ conditionalPut: "etag" });
  });

  it("parses AWS_COPY_IF_NOT_EXISTS in object_store's encodings", () => {
    expect(parseCopyIfNotExists("header:cf-copy-destination-if-none-match:*")).toEqual({
      kind: "header",
      header: "cf-copy-destination-if-none-match",
      value: "*",
    });
    expect(parseCopyIfNotExists("header-with-status: x-custom: abc: 409")).toEqual({ kind: "header-with-status", header: "x-custom", value: "abc", status: 409 });
    expect(parseCopyIfNotExists("multipart")).toEqual({ kind: "multipart" });
    expect(copyConditionOf(parseCopyIfNotExists("header: cf-copy-destination-if-none-match: *"))).toEqual({ header: "cf-copy-destination-if-none-match", value: "*" });
    expect(copyConditionOf(parseCopyIfNotExists("header-with-status: x: y: 409"))).toEqual({ header: "x", value: "y", status: 409 });
    expect(copyConditionOf({ kind: "multipart" })).toBeUndefined();
    for (const bad of ["header", "header: only-name", "header: bad name: *", "dynamo:table", "header-with-status: x: v", "header-with-status: x: v: 99"]) {
      const error = thrown(() => parseCopyIfNotExists(bad));
      expect(error, bad).toBeInstanceOf(InvalidInputError);
      expect(error.message).toContain("AWS_COPY_IF_NOT_EXISTS");
    }
  });
});

describe("client and local options", () => {
  it("parses retries, backoff, timeouts, page size and user agent", () => {
    expect(
      clientConfig("s3", {
        options: {
          max_retries: "2",
          retry_timeout: "1m 30s",
          "backoff_config.init_backoff": "50ms",
          "BACKOFF_CONFIG.MAX_BACKOFF": "2s",
          "backoff_config.base": "3",
          user_agent: "delta-edge-test",
          list_page_size: "7",
          connect_timeout: "5s",
        },
      }),
    ).toEqual({
      retries: 2,
      retryTimeoutMs: 90_000,
      retryInitialBackoffMs: 50,
      retryMaxBackoffMs: 2000,
      retryBase: 3,
      userAgent: "delta-edge-test",
      listPageSize: 7,
      connectTimeoutMs: 5000,
    });
    expect(thrown(() => clientConfig("azure", { options: { "backoff_config.base": "0.5" } })).message).toContain("backoff_config.base");
    expect(localConfig({ options: { MOUNT_ALLOW_UNSAFE_RENAME: "true" } })).toEqual({ allowUnsafeRename: true });
    expect(localConfig({ options: { AWS_REGION: "x" } })).toEqual({});
    expect(resolveOptions("gcs", { options: { google_timeout: "1s" } }).get("TIMEOUT")?.key).toBe("google_timeout");
  });
});

describe("storeFromUrl with cloud schemes", () => {
  it("builds S3 stores from s3:// and s3a:// URLs", () => {
    const store = storeFromUrl({ url: "s3a://my-bucket/path/to/table/", options: { ...creds, AWS_REGION: "eu-west-1" } });
    expect(store).toBeInstanceOf(S3Store);
    expect(store.root).toBe("s3://my-bucket/path/to/table");
    expect((store as S3Store).bucketUrl).toBe("https://my-bucket.s3.eu-west-1.amazonaws.com");
    expect((store as S3Store).urlOf("_delta_log/0.json")).toBe("https://my-bucket.s3.eu-west-1.amazonaws.com/path/to/table/_delta_log/0.json");
    const dotted = storeFromUrl({ url: "s3://my.bucket/t", options: creds }) as S3Store;
    expect(dotted.bucketUrl).toBe("https://s3.us-east-1.amazonaws.com/my.bucket");
    const r2 = storeFromUrl({ url: "s3://b/t", options: { ...creds, AWS_ENDPOINT_URL: "https://acct.r2.cloudflarestorage.com" } }) as S3Store;
    expect(r2.region).toBe("auto");
    expect(r2.bucketUrl).toBe("https://acct.r2.cloudflarestorage.com/b");
    const vhost = storeFromUrl({ url: "s3://b/t", options: { ...creds, AWS_ENDPOINT_URL: "https://minio.local:9000", AWS_VIRTUAL_HOSTED_STYLE_REQUEST: "true" } });
    expect((vhost as S3Store).bucketUrl).toBe("https://b.minio.local:9000");
  });

  it("refuses plain http unless allowed, naming AWS_ALLOW_HTTP", () => {
    const error = thrown(() => storeFromUrl({ url: "s3://b/t", options: { ...creds, AWS_ENDPOINT_URL: "http://127.0.0.1:9000" } }));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain("AWS_ALLOW_HTTP");
    expect(storeFromUrl({ url: "s3://b/t", options: { ...creds, AWS_ENDPOINT_URL: "http://127.0.0.1:9000", AWS_ALLOW_HTTP: "true" } })).toBeInstanceOf(S3Store);
  });

  it("names missing credentials and bad URLs", () => {
    expect(thrown(() => storeFromUrl({ url: "s3://b/t", options: { AWS_ACCESS_KEY_ID: "x" } })).message).toContain("AWS_SECRET_ACCESS_KEY");
    expect(storeFromUrl({ url: "s3://b/t", options: { AWS_SKIP_SIGNATURE: "true" } })).toBeInstanceOf(S3Store);
    expect(thrown(() => storeFromUrl({ url: "s3:///no-bucket", options: creds }))).toBeInstanceOf(InvalidInputError);
    expect(thrown(() => storeFromUrl({ url: "s3://b/t", options: { ...creds, AWS_ENDPOINT_URL: "ftp://x" } })).message).toContain("http(s)");
  });

  it("reads env vars passed separately, leniently", () => {
    const store = storeFromUrl({ url: "s3://b/t", env: { ...creds, AWS_REGION: "eu-central-1", AWS_WHATEVER: "1" } }) as S3Store;
    expect(store.region).toBe("eu-central-1");
  });

  it("builds GCS stores from gs:// URLs with HMAC keys", () => {
    const store = storeFromUrl({ url: "gs://bucket/tables/t", options: { GOOGLE_HMAC_ACCESS_ID: "GOOG1", GOOGLE_HMAC_SECRET: "s" } });
    expect(store).toBeInstanceOf(GcsStore);
    expect(store.root).toBe("gs://bucket/tables/t");
    expect((store as GcsStore).bucketUrl).toBe("https://storage.googleapis.com/bucket");
    expect(thrown(() => storeFromUrl({ url: "gs://bucket/t" })).message).toContain("GOOGLE_HMAC_ACCESS_ID");
  });

  it("builds Azure stores from az://, azure://, adl:// and abfs[s]:// URLs", () => {
    const key = btoa("k");
    const az = storeFromUrl({ url: "az://container/a/b", options: { AZURE_STORAGE_ACCOUNT_NAME: "acct", AZURE_STORAGE_ACCOUNT_KEY: key } });
    expect(az).toBeInstanceOf(AzureStore);
    expect(az.root).toBe("az://container/a/b");
    expect((az as AzureStore).urlOf("x y")).toBe("https://acct.blob.core.windows.net/container/a/b/x%20y");
    const abfss = storeFromUrl({ url: "abfss://data@acct2.dfs.core.windows.net/t", options: { account_key: key } }) as AzureStore;
    expect(abfss.account).toBe("acct2");
    expect(abfss.container).toBe("data");
    expect(storeFromUrl({ url: "azure://c/t", options: { account_name: "a", sas_token: "?sv=1&sig=x" } })).toBeInstanceOf(AzureStore);
    expect(storeFromUrl({ url: "adl://c/t", options: { account_name: "a", bearer_token: "t" } })).toBeInstanceOf(AzureStore);
    const clash = thrown(() => storeFromUrl({ url: "abfss://c@one.dfs.core.windows.net/t", options: { AZURE_STORAGE_ACCOUNT_NAME: "two", account_key: key } }));
    expect(clash.message).toMatch(/"one".*"two"/);
  });
});

/**
 * The test SigV4 verifier (test/helpers/sigv4-verify.ts) on AWS's published signature examples
 * (S3 "Signature Calculations" and "Query String Authentication" pages: key AKIAIOSFODNN7EXAMPLE,
 * 2013-05-24), so it can serve as an independent check of the URLs delta-edge presigns; then on
 * URLs presignS3 makes (including a listing with prefix and start-after), and on what it refuses.
 */
import { describe, expect, it } from "vitest";
import { presignS3 } from "../../src/core/storage/s3-presign.js";
import { verifySigV4 } from "../helpers/sigv4-verify.js";

const ID = "AKIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const SECRETS = new Map([[ID, SECRET]]);
const AT = Date.UTC(2013, 4, 24, 0, 0, 0);
const EMPTY_SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

describe("SigV4 verifier", () => {
  it("accepts AWS's header-signed GET Object example (with Range)", () => {
    const headers = {
      host: "examplebucket.s3.amazonaws.com",
      range: "bytes=0-9",
      "x-amz-content-sha256": EMPTY_SHA,
      "x-amz-date": "20130524T000000Z",
      authorization: `AWS4-HMAC-SHA256 Credential=${ID}/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41`,
    };
    expect(verifySigV4({ method: "GET", url: "/test.txt", headers }, SECRETS, AT)).toMatchObject({ ok: true, presigned: false });
    expect(verifySigV4({ method: "GET", url: "/test.txt", headers: { ...headers, range: "bytes=0-10" } }, SECRETS, AT)).toMatchObject({ code: "SignatureDoesNotMatch" });
  });

  it("accepts AWS's header-signed listing example (query canonicalization)", () => {
    const headers = {
      host: "examplebucket.s3.amazonaws.com",
      "x-amz-content-sha256": EMPTY_SHA,
      "x-amz-date": "20130524T000000Z",
      authorization: `AWS4-HMAC-SHA256 Credential=${ID}/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7`,
    };
    expect(verifySigV4({ method: "GET", url: "/?max-keys=2&prefix=J", headers }, SECRETS, AT)).toMatchObject({ ok: true });
    expect(verifySigV4({ method: "GET", url: "/?max-keys=3&prefix=J", headers }, SECRETS, AT)).toMatchObject({ code: "SignatureDoesNotMatch" });
  });

  it("accepts AWS's presigned URL example and refuses it expired, tampered or with another key", () => {
    const url =
      "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
      "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host" +
      "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    const headers = { host: "examplebucket.s3.amazonaws.com" };
    expect(verifySigV4({ method: "GET", url, headers }, SECRETS, AT + 1000)).toMatchObject({ ok: true, presigned: true });
    // An unsigned Range header does not matter: only host is signed.
    expect(verifySigV4({ method: "GET", url, headers: { ...headers, range: "bytes=0-9" } }, SECRETS, AT)).toMatchObject({ ok: true });
    expect(verifySigV4({ method: "GET", url, headers }, SECRETS, AT + 86_401_000)).toMatchObject({ code: "AccessDenied", message: "Request has expired" });
    expect(verifySigV4({ method: "HEAD", url, headers }, SECRETS, AT)).toMatchObject({ code: "SignatureDoesNotMatch" });
    expect(verifySigV4({ method: "GET", url: url.replace("/test.txt", "/other.txt"), headers }, SECRETS, AT)).toMatchObject({ code: "SignatureDoesNotMatch" });
    expect(verifySigV4({ method: "GET", url, headers }, new Map([[ID, "wrong"]]), AT)).toMatchObject({ code: "SignatureDoesNotMatch" });
    expect(verifySigV4({ method: "GET", url, headers }, new Map([["AKIAOTHER", SECRET]]), AT)).toMatchObject({ code: "InvalidAccessKeyId" });
    expect(verifySigV4({ method: "GET", url: "/test.txt", headers }, SECRETS, AT)).toEqual({ ok: false, anonymous: true });
  });

  it("accepts what presignS3 signs, keys and listings alike", async () => {
    const now = new Date("2024-05-01T12:00:00Z");
    const config = { endpoint: "http://127.0.0.1:9000", accessKeyId: ID, secretAccessKey: SECRET, region: "eu-west-1", client: { allowHttp: true } };
    const urls = await presignS3({
      config,
      bucket: "lake",
      expiresIn: 300,
      now,
      items: [
        { method: "GET", key: "tables/a b/part=x+y/ünï ~(1).parquet" },
        { method: "HEAD", key: "tables/t/_delta_log/00000000000000000000.json" },
        { method: "LIST", prefix: "tables/t/_delta_log/", startAfter: "tables/t/_delta_log/00000000000000000009.zzzz" },
        { method: "LIST", prefix: "tables/t/", continuationToken: "opaque/token+=", maxKeys: 2 },
      ],
    });
    const methods = ["GET", "HEAD", "GET", "GET"];
    urls.forEach((u, i) => {
      const url = new URL(u);
      expect(url.origin).toBe("http://127.0.0.1:9000");
      expect(url.searchParams.get("X-Amz-Expires")).toBe("300");
      expect(url.searchParams.get("X-Amz-SignedHeaders")).toBe("host");
      const req = { method: methods[i] as string, url: url.pathname + url.search, headers: { host: url.host } };
      expect(verifySigV4(req, SECRETS, now.getTime() + 299_000), u).toMatchObject({ ok: true, presigned: true });
      expect(verifySigV4(req, SECRETS, now.getTime() + 301_000)).toMatchObject({ message: "Request has expired" });
    });
    expect(new URL(urls[0] as string).pathname).toBe("/lake/tables/a%20b/part%3Dx%2By/%C3%BCn%C3%AF%20~%281%29.parquet");
    expect(new URL(urls[2] as string).searchParams.get("start-after")).toBe("tables/t/_delta_log/00000000000000000009.zzzz");
    expect(new URL(urls[3] as string).searchParams.get("continuation-token")).toBe("opaque/token+=");
  });
});

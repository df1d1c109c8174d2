/**
 * The explorer's "Private S3 / R2 bucket" panel: two forms that open an s3:// table. "With a
 * signer" puts the table and the signer's origin in the page URL (`?table=s3://...&signer=...`,
 * shareable; a read token stays in memory). "With keys" signs in the page: the keys go into the
 * store object only — the inputs have no `name` (a form submission cannot carry them), the page
 * URL gets the table but no signer and no key, nothing is written to storage.
 */
import { byId } from "./dom.js";
import type { S3Keys, SignWith } from "./signer.js";

/** Opens a table with a way of signing. */
export type OpenBucketTable = (url: string, how: SignWith) => void;

const value = (id: string): string => byId<HTMLInputElement>(id).value.trim();

/** Wires the panel; returns the signer token typed so far (for `?signer=` deep links). */
export function wireS3Forms(open: OpenBucketTable): { token(): string | undefined } {
  const params = new URLSearchParams(location.search);
  const table = params.get("table");
  const signer = params.get("signer");
  if (table !== null && /^s3a?:\/\//i.test(table)) {
    byId<HTMLInputElement>("signer-table").value = table;
    byId<HTMLInputElement>("keys-table").value = table;
  }
  if (signer !== null) byId<HTMLInputElement>("signer-url").value = signer;
  const token = (): string | undefined => (value("signer-token") === "" ? undefined : value("signer-token"));

  byId<HTMLFormElement>("signer-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const url = value("signer-table");
    const origin = value("signer-url");
    setPageUrl(url, origin);
    open(url, { signer: origin, token: token() });
  });
  byId<HTMLFormElement>("keys-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const url = value("keys-table");
    const keys: S3Keys = {
      endpoint: value("keys-endpoint"),
      region: value("keys-region"),
      accessKeyId: value("keys-id"),
      secretAccessKey: byId<HTMLInputElement>("keys-secret").value,
      sessionToken: value("keys-session"),
    };
    setPageUrl(url, undefined);
    open(url, { keys });
  });
  return { token };
}

/** The page URL of a bucket table: the table, the signer when there is one, never a key. */
function setPageUrl(table: string, signer: string | undefined): void {
  const url = new URL(location.href);
  url.searchParams.set("table", table);
  url.searchParams.delete("version");
  if (signer === undefined) url.searchParams.delete("signer");
  else url.searchParams.set("signer", signer);
  history.replaceState(null, "", url);
}

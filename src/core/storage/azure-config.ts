/**
 * Azure Blob configuration: the typed {@link AzureConfig}, {@link azureConfig} (built from
 * delta-rs / object_store string options: AZURE_STORAGE_ACCOUNT_NAME, AZURE_STORAGE_ACCOUNT_KEY,
 * AZURE_STORAGE_SAS_KEY, AZURE_STORAGE_USE_EMULATOR, AZURITE_BLOB_STORAGE_URL, ...), and parsing
 * of table URLs: `az://container/prefix`, `azure://`, `adl://`, and
 * `abfs[s]://container@account.dfs.core.windows.net/prefix` (or `abfss://container/prefix`).
 */
import { InvalidInputError } from "../errors.js";
import { normalizePrefix } from "./s3-url.js";
import {
  optionText,
  parseBool,
  parseBytes,
  readOptionFields,
  resolveOptions,
  withClientConfig,
  type ClientConfig,
  type OptionSources,
} from "./storage-options.js";

/** Azurite's well-known development account. */
export const AZURITE_ACCOUNT = "devstoreaccount1";
/** Azurite's well-known development account key (public; it only opens the local emulator). */
export const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
/** Azurite's default blob endpoint. */
export const AZURITE_DEFAULT_URL = "http://127.0.0.1:10000";

/** Settings of an Azure Blob store. */
export interface AzureConfig {
  /** Storage account (AZURE_STORAGE_ACCOUNT_NAME). */
  accountName?: string;
  /** Base64 account key for SharedKey signing (AZURE_STORAGE_ACCOUNT_KEY). */
  accountKey?: string;
  /** SAS token (`sv=...&sig=...`, a leading `?` is fine) appended to every URL (AZURE_STORAGE_SAS_KEY). */
  sasToken?: string;
  /** OAuth bearer token (AZURE_STORAGE_TOKEN). */
  bearerToken?: string;
  /** Use Azurite: account devstoreaccount1, its well-known key, path-style URLs, http allowed. */
  useEmulator?: boolean;
  /**
   * Account endpoint. Default `https://<account>.blob.core.windows.net`; with the emulator,
   * AZURITE_BLOB_STORAGE_URL or http://127.0.0.1:10000 followed by `/<account>`.
   */
  endpoint?: string;
  /** Send anonymous requests (public containers; AZURE_SKIP_SIGNATURE). */
  skipSignature?: boolean;
  /** Bodies at least this large are uploaded as blocks (MULTIPART_THRESHOLD). Default 16 MiB. */
  multipartThresholdBytes?: number;
  /** Block size for block uploads (MULTIPART_PART_SIZE). Default 8 MiB. */
  blockSizeBytes?: number;
  client?: ClientConfig;
}

/** Builds an {@link AzureConfig} from string options and env vars. */
export function azureConfig(sources: OptionSources): AzureConfig {
  const opts = resolveOptions("azure", sources);
  const config = readOptionFields<AzureConfig>(opts, {}, {
    accountName: "AZURE_STORAGE_ACCOUNT_NAME",
    accountKey: "AZURE_STORAGE_ACCOUNT_KEY",
    sasToken: "AZURE_STORAGE_SAS_KEY",
    bearerToken: "AZURE_STORAGE_TOKEN",
    useEmulator: ["AZURE_STORAGE_USE_EMULATOR", parseBool],
    endpoint: "AZURE_STORAGE_ENDPOINT",
    skipSignature: ["AZURE_SKIP_SIGNATURE", parseBool],
    multipartThresholdBytes: ["MULTIPART_THRESHOLD", parseBytes],
    blockSizeBytes: ["MULTIPART_PART_SIZE", parseBytes],
  });
  const azurite = optionText(opts, "AZURITE_BLOB_STORAGE_URL");
  if (config.endpoint === undefined && azurite !== undefined && config.useEmulator === true) {
    config.endpoint = `${azurite.replace(/\/+$/, "")}/${config.accountName ?? AZURITE_ACCOUNT}`;
  }
  const credentials = [
    ["AZURE_STORAGE_ACCOUNT_KEY", config.accountKey],
    ["AZURE_STORAGE_SAS_KEY", config.sasToken],
    ["AZURE_STORAGE_TOKEN", config.bearerToken],
  ].filter(([, v]) => v !== undefined);
  if (credentials.length > 1) {
    const names = credentials.map(([name]) => opts.get(name as string)?.key ?? name);
    throw new InvalidInputError(`storage options ${names.map((n) => `"${n}"`).join(" and ")} are different credentials: set only one`);
  }
  return withClientConfig("azure", opts, config);
}

/** A container, an optional account and a key prefix parsed from a table URL. */
export interface AzureLocation {
  container: string;
  /** Account named by the URL host (`abfss://c@account.dfs.core.windows.net`), if any. */
  account?: string;
  /** Normalized prefix (`a/b/` or empty). */
  prefix: string;
}

/** The URL schemes that name Azure Blob containers. */
export const AZURE_SCHEMES = ["az", "azure", "adl", "abfs", "abfss"] as const;

/** Parses an Azure table URL (see the module comment). */
export function parseAzureUrl(url: string): AzureLocation {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)$/.exec(url);
  const scheme = match?.[1]?.toLowerCase();
  if (match === null || scheme === undefined || !(AZURE_SCHEMES as readonly string[]).includes(scheme)) {
    throw new InvalidInputError("expected az://container/prefix or abfss://container@account.dfs.core.windows.net/prefix", { path: url });
  }
  const authority = match[2] as string;
  const at = authority.indexOf("@");
  const container = at < 0 ? authority : authority.slice(0, at);
  const location: AzureLocation = { container, prefix: "" };
  if (at >= 0) {
    const host = authority.slice(at + 1).toLowerCase();
    const account = /^([a-z0-9]+)\.(?:dfs|blob)\.(?:core\.windows\.net|fabric\.microsoft\.com)$/.exec(host)?.[1];
    if (account === undefined) throw new InvalidInputError(`cannot read an account name from host "${host}"`, { path: url });
    location.account = account;
  }
  if (!/^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?|\$root)$/.test(container)) {
    throw new InvalidInputError(`invalid container name "${container}" (lower-case letters, digits and hyphens)`, { path: url });
  }
  try {
    location.prefix = normalizePrefix(decodeURIComponent(match[3] ?? ""));
  } catch (cause) {
    throw new InvalidInputError("invalid percent-encoding in the URL path", { path: url, cause });
  }
  return location;
}

/**
 * The request of a REST object store that addresses keys under a root (S3Store, GcsStore,
 * AzureStore): one {@link StoreRequest} in store terms (method, key relative to the root, query,
 * headers, body, and how the Transport must treat it), and {@link sendSigned}, which hands it to
 * the retrying Transport with a fresh signature for every attempt and names `root/key` in errors.
 * What differs per service (URL layout, SAS or SigV4 or SharedKey) stays with its store.
 */
import type { ByteRange } from "./object-store.js";
import type { OutgoingRequest, Transport } from "./retry.js";

/** One request of a keyed REST store, before its URL is signed. */
export interface StoreRequest<Method extends string, Body> {
  method: Method;
  /** Key relative to the store root; absent for bucket- or container-level requests (listing). */
  key?: string;
  query?: readonly (readonly [string, string | undefined])[];
  headers?: Record<string, string>;
  body?: Body;
  idempotent: boolean;
  signal?: AbortSignal | undefined;
  /** Statuses retried although the request is not idempotent (409 for a conditional S3 put). */
  retryStatuses?: readonly number[];
  /** The range a GET asks for (its `Range` or `x-ms-range` header): the answer is checked against it. */
  range?: ByteRange | undefined;
}

/** Sends `request` to `url` through `transport`, calling `sign` for every attempt. */
export function sendSigned<R extends StoreRequest<string, unknown>>(
  transport: Transport,
  request: R,
  url: string,
  root: string,
  sign: (request: R, url: string) => Promise<OutgoingRequest>,
): Promise<Response> {
  return transport.send(() => sign(request, url), {
    idempotent: request.idempotent,
    signal: request.signal,
    path: request.key === undefined ? root : `${root}/${request.key}`,
    ...(request.retryStatuses ? { retryStatuses: request.retryStatuses } : {}),
    range: request.range,
  });
}

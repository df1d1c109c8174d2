/**
 * Which table an ingest request is for, as the Worker tells the table's object: the
 * `X-Delta-Edge-Table` header carries `{schema, table}` (JSON, percent-encoded so any name fits a
 * header), and the object's name is the table's path under the tables root, so one object serves
 * exactly one table.
 */
import { checkName, rootPrefix, type Env } from "../env.js";
import { HttpError } from "../http.js";

/** A table under the tables root. */
export interface TableRef {
  schema: string;
  table: string;
}

/** The header carrying the table of an internal ingest request. */
export const TABLE_HEADER = "X-Delta-Edge-Table";

/** The header value for a table. */
export function tableHeaderValue(ref: TableRef): string {
  return encodeURIComponent(JSON.stringify({ schema: ref.schema, table: ref.table }));
}

/** The table an internal request names (400 when the header is missing or malformed). */
export function readTableHeader(request: Request): TableRef {
  const raw = request.headers.get(TABLE_HEADER);
  let value: unknown;
  try {
    value = raw === null ? undefined : JSON.parse(decodeURIComponent(raw));
  } catch {
    value = undefined;
  }
  const ref = value as Partial<TableRef> | undefined;
  if (typeof ref?.schema !== "string" || typeof ref.table !== "string") throw new HttpError(400, "INVALID_INPUT", `internal ingest request without a valid ${TABLE_HEADER} header`);
  return { schema: checkName("schema", ref.schema), table: checkName("table", ref.table) };
}

/** The name of a table's ingest object: its path under the root (`<prefix><schema>/<table>`). */
export function ingestObjectName(env: Env, ref: TableRef): string {
  return `${rootPrefix(env)}${ref.schema}/${ref.table}`;
}

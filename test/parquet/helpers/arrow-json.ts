/**
 * Encodes Arrow record batches as JSON-ready rows with the same deterministic encoding as
 * pyarrow_dump.py (see there), reading Arrow buffers directly so that no Arrow getter's own
 * conversion (dates, timestamps, decimals) gets in the way.
 */
import { Precision, Type, type Data, type RecordBatch } from "apache-arrow";
import { readWideInt } from "../../../src/core/arrow/builders.js";
import { halfToNumber } from "../../../src/core/arrow/data.js";

const decoder = new TextDecoder("utf-8", { fatal: true });

/** The rows of a batch as objects keyed by field name. */
export function batchRows(batch: RecordBatch): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const fields = batch.schema.fields;
  const children = batch.data.children;
  for (let i = 0; i < batch.numRows; i++) {
    const row: Record<string, unknown> = {};
    fields.forEach((f, c) => (row[f.name] = encodeValue(children[c]!, i)));
    rows.push(row);
  }
  return rows;
}

/** Formats an unscaled decimal with exactly `scale` digits after the point. */
export function formatDecimal(unscaled: bigint, scale: number): string {
  const neg = unscaled < 0n;
  const digits = (neg ? -unscaled : unscaled).toString().padStart(scale + 1, "0");
  const body = scale > 0 ? `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}` : digits;
  return neg ? `-${body}` : body;
}

function encodeFloat(v: number): unknown {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  return v;
}


/** Encodes value `i` (logical index) of a Data. */
export function encodeValue(data: Data, i: number): unknown {
  if (!data.getValid(i)) return null;
  // Arrow JS slices fixed-width values and offsets with the Data; bitmaps go by data.offset
  const j = i;
  const type = data.type;
  const values = data.values as any;
  const offsets = data.valueOffsets as any;
  switch (type.typeId) {
    case Type.Null:
      return null;
    case Type.Bool:
      return ((values[(data.offset + i) >> 3] >> ((data.offset + i) & 7)) & 1) === 1;
    case Type.Int:
    case Type.Date:
    case Type.Timestamp:
    case Type.Time:
      return String(values[j]);
    case Type.Float:
      return encodeFloat((type as any).precision === Precision.HALF ? halfToNumber(values[j]) : values[j]);
    case Type.Decimal: {
      const words = (type as any).bitWidth / 32;
      return formatDecimal(readWideInt(values, j, words), (type as any).scale);
    }
    case Type.Utf8:
    case Type.LargeUtf8:
      return decoder.decode(values.subarray(Number(offsets[j]), Number(offsets[j + 1])));
    case Type.Binary:
    case Type.LargeBinary:
      return { $b64: Buffer.from(values.subarray(Number(offsets[j]), Number(offsets[j + 1]))).toString("base64") };
    case Type.FixedSizeBinary: {
      const w = (type as any).byteWidth;
      return { $b64: Buffer.from(values.subarray(j * w, (j + 1) * w)).toString("base64") };
    }
    case Type.Struct: {
      const obj: Record<string, unknown> = {};
      type.children.forEach((f: any, c: number) => (obj[f.name] = encodeValue(data.children[c]!, i)));
      return obj;
    }
    case Type.List: {
      const out: unknown[] = [];
      for (let k = Number(offsets[j]); k < Number(offsets[j + 1]); k++) out.push(encodeValue(data.children[0]!, k));
      return out;
    }
    case Type.Map: {
      const entries = data.children[0]!;
      const out: unknown[] = [];
      for (let k = Number(offsets[j]); k < Number(offsets[j + 1]); k++) {
        out.push([encodeValue(entries.children[0]!, k), encodeValue(entries.children[1]!, k)]);
      }
      return out;
    }
    default:
      throw new Error(`arrow-json: unsupported type ${String(type)}`);
  }
}

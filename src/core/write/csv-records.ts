/**
 * CSV records (RFC 4180) from chunks of text, by a state machine that looks at each character
 * once, so any input (an unclosed quote included) is read in linear time, and holds at most one
 * record (bounded by the line and field limits of text-limits.ts) plus one chunk in memory.
 * Chunks may end anywhere: inside a quoted field, between CR and LF, between two quotes.
 *
 * Rules: fields are separated by `,` and records by LF or CRLF; a field starting with `"` is
 * quoted, may hold `,`, line breaks and `""` (one quote), and must be followed by a separator or
 * the end of the record (anything else is an error); in an unquoted field quotes are plain
 * characters. An empty unquoted field is null, `""` is the empty string. Empty lines are skipped.
 * An unclosed quote at the end of the input is an error naming the line where the field starts.
 * Line numbers count physical lines from 1; a record is named by the line it starts on.
 */

import { InvalidInputError } from "../errors.js";
import { chunkMeter, fieldTooLong, lineTooLong, type ChunkMeter, type TextLimits } from "./text-limits.js";

/** One CSV record: its cells and the line it starts on. */
export interface CsvRecord {
  cells: (string | null)[];
  line: number;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

const enum State {
  /** At the start of a field. */
  FieldStart,
  /** Inside an unquoted field. */
  Unquoted,
  /** Inside a quoted field. */
  Quoted,
  /** Just after a quote inside a quoted field: an escaped quote or the closing one. */
  QuoteInQuoted,
  /** After a closing quote and a CR: only LF may follow. */
  ClosedCr,
}

/** Reads CSV records from text chunks; see the header. */
export class CsvReader {
  private state = State.FieldStart;
  private field = "";
  private fieldBytes = 0;
  private cells: (string | null)[] = [];
  private recordBytes = 0;
  private line = 1;
  private recordLine = 1;
  private quoteLine = 1;
  /** Column names by position (the first record, the header), for field-size errors. */
  private columns: readonly string[] | undefined;

  constructor(private readonly limits: TextLimits) {}

  /** The complete records in `text` (and what came before it). */
  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    const meter = chunkMeter(text);
    const n = text.length;
    let i = 0;
    let recordStart = 0; // where the current record's text starts in this chunk
    const addRecordBytes = (end: number) => {
      this.recordBytes += meter(recordStart, end);
      recordStart = end;
      if (this.recordBytes > this.limits.maxLineBytes) throw lineTooLong(this.limits, this.recordLine);
    };
    const endRecord = (next: number, quoted: boolean) => {
      addRecordBytes(next);
      this.endField(quoted);
      const cells = this.cells;
      this.cells = [];
      this.recordBytes = 0;
      if (!(cells.length === 1 && cells[0] === null)) {
        this.columns ??= cells.map((c) => c ?? "");
        out.push({ cells, line: this.recordLine });
      }
      this.line++;
      this.recordLine = this.line;
      this.state = State.FieldStart;
    };
    while (i < n) {
      switch (this.state) {
        case State.FieldStart: {
          if (text.charCodeAt(i) === QUOTE) {
            this.state = State.Quoted;
            this.quoteLine = this.line;
            i++;
            break;
          }
          this.state = State.Unquoted;
          break;
        }
        case State.Unquoted: {
          let j = i;
          let c = 0;
          while (j < n) {
            c = text.charCodeAt(j);
            if (c === COMMA || c === LF) break;
            j++;
          }
          this.append(text, i, j, meter);
          if (j === n) {
            i = n;
            break;
          }
          if (c === COMMA) {
            this.endField();
            this.state = State.FieldStart;
          } else {
            if (this.field.endsWith("\r")) this.field = this.field.slice(0, -1);
            endRecord(j + 1, false);
          }
          i = j + 1;
          break;
        }
        case State.Quoted: {
          const q = text.indexOf('"', i);
          const end = q < 0 ? n : q;
          for (let nl = text.indexOf("\n", i); nl >= 0 && nl < end; nl = text.indexOf("\n", nl + 1)) this.line++;
          this.append(text, i, end, meter);
          if (q < 0) {
            i = n;
            break;
          }
          this.state = State.QuoteInQuoted;
          i = q + 1;
          break;
        }
        case State.QuoteInQuoted: {
          const c = text.charCodeAt(i);
          if (c === QUOTE) {
            this.append(text, i, i + 1, meter);
            this.state = State.Quoted;
          } else if (c === COMMA) {
            this.endField(true);
            this.state = State.FieldStart;
          } else if (c === LF) {
            endRecord(i + 1, true);
          } else if (c === CR) {
            this.state = State.ClosedCr;
          } else {
            throw this.afterQuote(text, i);
          }
          i++;
          break;
        }
        case State.ClosedCr: {
          if (text.charCodeAt(i) !== LF) throw this.afterQuote(text, i);
          endRecord(i + 1, true);
          i++;
          break;
        }
      }
    }
    addRecordBytes(n);
    return out;
  }

  /** The last record, when the input does not end with a line break. */
  end(): CsvRecord[] {
    if (this.state === State.Quoted) throw new InvalidInputError(`${this.limits.source}:${this.quoteLine}: unterminated quoted field (no closing quote before the end of the input)`);
    if (this.state === State.FieldStart && this.cells.length === 0) return [];
    if (this.state === State.Unquoted && this.field.endsWith("\r")) this.field = this.field.slice(0, -1);
    this.endField(this.state === State.QuoteInQuoted || this.state === State.ClosedCr);
    const cells = this.cells;
    this.cells = [];
    this.state = State.FieldStart;
    return cells.length === 1 && cells[0] === null ? [] : [{ cells, line: this.recordLine }];
  }

  private append(text: string, start: number, end: number, meter: ChunkMeter): void {
    if (end === start) return;
    this.fieldBytes += meter(start, end);
    if (this.fieldBytes > this.limits.maxFieldBytes) throw fieldTooLong(this.limits, this.recordLine, this.columns?.[this.cells.length]);
    if (this.fieldBytes > this.limits.maxLineBytes) throw lineTooLong(this.limits, this.recordLine);
    this.field = this.field === "" ? text.slice(start, end) : this.field + text.slice(start, end);
  }

  private endField(quoted = false): void {
    this.cells.push(quoted || this.field !== "" ? this.field : null);
    this.field = "";
    this.fieldBytes = 0;
  }

  private afterQuote(text: string, i: number): InvalidInputError {
    return new InvalidInputError(`${this.limits.source}:${this.line}: ${JSON.stringify(text[i])} after the closing quote of a field (expected , or the end of the line)`);
  }
}

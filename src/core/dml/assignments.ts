/**
 * SET lists as text, for the command line and HTTP surfaces: `"a = b + 1, c = 'x, y'"` becomes
 * `{ a: "b + 1", c: "'x, y'" }`. Items are split at commas outside quotes ('...', "...", `...`)
 * and parentheses, each at its first `=` that is not part of `==`, `<=`, `>=` or `!=`. A column
 * name may be backquoted (`` `my col` = 1 ``). Linear in the text.
 */
import { InvalidInputError } from "../errors.js";

/**
 * Parses `col = EXPR, ...` into an assignment map.
 * @throws InvalidInputError for an item without `=`, an empty side, a repeated column or
 *   unbalanced quotes/parentheses.
 */
export function parseAssignments(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of splitTopLevel(text, ",")) {
    const eq = assignmentEquals(item);
    if (eq < 0) throw new InvalidInputError(`expected "column = expression" in ${JSON.stringify(item.trim())}`);
    let column = item.slice(0, eq).trim();
    const expr = item.slice(eq + 1).trim();
    if (/^`.*`$/s.test(column)) column = column.slice(1, -1).replaceAll("``", "`");
    if (column === "" || expr === "") throw new InvalidInputError(`expected "column = expression" in ${JSON.stringify(item.trim())}`);
    if (Object.hasOwn(out, column)) throw new InvalidInputError(`column ${column} is assigned twice`);
    out[column] = expr;
  }
  if (Object.keys(out).length === 0) throw new InvalidInputError("expected at least one \"column = expression\"");
  return out;
}

/** Splits at `sep` outside quotes and parentheses. */
function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote !== undefined) {
      if (ch === quote) {
        if (text[i + 1] === quote) i++; // doubled quote: an escaped quote character
        else quote = undefined;
      }
      continue;
    }
    if (ch === "'" || ch === '"' || ch === "`") quote = ch;
    else if (ch === "(") depth++;
    else if (ch === ")") {
      if (--depth < 0) throw new InvalidInputError(`unbalanced ')' at position ${i + 1} in ${JSON.stringify(text)}`);
    } else if (ch === sep && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quote !== undefined) throw new InvalidInputError(`unterminated ${quote} in ${JSON.stringify(text)}`);
  if (depth !== 0) throw new InvalidInputError(`unbalanced '(' in ${JSON.stringify(text)}`);
  parts.push(text.slice(start));
  return parts.filter((p) => p.trim() !== "");
}

/** Index of the assignment's `=` (outside a backquoted name, not part of a comparison), or -1. */
function assignmentEquals(item: string): number {
  let quoted = false;
  for (let i = 0; i < item.length; i++) {
    const ch = item[i];
    if (ch === "`") quoted = !quoted;
    if (quoted || ch !== "=") continue;
    const prev = item[i - 1];
    if (prev === "<" || prev === ">" || prev === "!" || prev === "=" || item[i + 1] === "=") continue;
    return i;
  }
  return -1;
}

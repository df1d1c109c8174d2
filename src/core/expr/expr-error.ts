/**
 * Predicate errors that point into the source text: when a node came from the parser, the
 * message says where (1-based position) and repeats the whole predicate, as syntax errors do.
 */
import { InvalidInputError } from "../errors.js";
import { sourceSpan } from "./ast.js";
import { clipSource } from "./lexer.js";

/** An InvalidInputError about `node`, with its position and the predicate text when known. */
export function exprError(message: string, node: object): InvalidInputError {
  const span = sourceSpan(node);
  if (span === undefined) return new InvalidInputError(message);
  return new InvalidInputError(`${message} at position ${span.start + 1} in: ${clipSource(span.source)}`);
}

/**
 * Recursive-descent parser for the expression grammar of predicates and values (keywords are
 * case-insensitive):
 *
 *   expr      := and (OR and)*
 *   and       := not (AND not)*
 *   not       := NOT not | compare
 *   compare   := sum suffix?
 *   suffix    := op sum | [NOT] IN '(' literal (',' literal)* ')' | IS [NOT] NULL
 *   sum       := product (('+' | '-' | '||') product)*
 *   product   := unary (('*' | '/') unary)*
 *   unary     := '-' unary | atom
 *   atom      := '(' expr ')' | CASE [value] (WHEN expr THEN expr)+ [ELSE expr] END
 *              | COALESCE '(' expr (',' expr)* ')' | CAST '(' expr AS type ')' | operand
 *   type      := name ['(' number [',' number] ')']      (see value-types.ts for the names)
 *   operand   := column | literal            column := name ('.' name)*
 *   literal   := NULL | TRUE | FALSE | ['-'] number | 'string'
 *              | DATE 'YYYY-MM-DD' | TIMESTAMP '...' | TIMESTAMP_NTZ '...'
 *
 * So NOT binds tighter than AND, AND tighter than OR, and a comparison tighter than NOT
 * (`NOT a = 1` is `NOT (a = 1)`); `*` and `/` bind tighter than `+`, `-` and `||` (Spark's
 * precedence), all left-associative. `case`, `coalesce` and `cast` are keywords only where their
 * construct can start (CASE not followed by an operator, COALESCE and CAST before '('), so they
 * remain usable as column names, as do WHEN, THEN, ELSE, END and AS. `date`, `timestamp` and `timestamp_ntz` are keywords only when a
 * string follows, so they remain usable as column names. A bare operand is a predicate (a boolean
 * column, TRUE, FALSE, NULL); binding checks its type. Errors are InvalidInputErrors naming the
 * offending text and its 1-based position.
 *
 * Only nesting recurses (runs of AND/OR and of arithmetic operators are loops): parentheses,
 * NOTs, unary minuses, CASE, COALESCE and CAST deeper than MAX_PREDICATE_DEPTH (shape.ts) are
 * refused, so no input can exhaust the stack. Linear time.
 */
import type { CompareOp, Expr, Literal, Operand } from "./ast.js";
import type { Arithmetic, Concat } from "./value-ast.js";
import { CAST_TYPE_NAMES, castTypeNamed } from "./value-types.js";
import { setSourceSpan } from "./ast.js";
import { clipSource, describeToken, RESERVED, syntaxError, tokenize, type Token } from "./lexer.js";
import { MAX_PREDICATE_DEPTH, nestingError } from "./shape.js";
import { parseDate, parseTimestamp } from "./temporal.js";

const TEMPORAL_KEYWORDS = new Set(["date", "timestamp", "timestamp_ntz"]);
const VALUE_HINT = "expected a value";

/** Parses predicate text into an expression tree. Throws InvalidInputError on bad syntax. */
export function parse(source: string): Expr {
  return new Parser(source).parseAll("empty predicate");
}

/** Parses a value expression (an UPDATE SET value, a MERGE value). Throws InvalidInputError on bad syntax. */
export function parseValue(source: string): Expr {
  return new Parser(source).parseAll("empty expression");
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  /** Open parentheses and NOTs around the current position. */
  private depth = 0;

  constructor(private readonly source: string) {
    this.tokens = tokenize(source);
  }

  parseAll(empty: string): Expr {
    if (this.peek().kind === "eof") throw syntaxError(empty, this.source, 0);
    const expr = this.parseOr();
    const t = this.peek();
    if (t.kind !== "eof") {
      throw this.unexpected(t, t.value === ")" ? "unbalanced parenthesis" : "expected AND, OR or the end");
    }
    return expr;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  private isKeyword(t: Token, word: string): boolean {
    return t.kind === "ident" && t.value.toLowerCase() === word;
  }

  private expectKeyword(word: string, hint: string): Token {
    const t = this.next();
    if (!this.isKeyword(t, word)) throw this.unexpected(t, hint);
    return t;
  }

  private expectPunct(p: string, hint: string): Token {
    const t = this.next();
    if (t.kind !== "punct" || t.value !== p) throw this.unexpected(t, hint);
    return t;
  }

  private unexpected(t: Token, hint?: string): Error {
    const what = t.kind === "eof" ? "unexpected end of input" : `unexpected token ${describeToken(t, this.source)}`;
    return syntaxError(what, this.source, t.start, hint);
  }

  private span<T extends object>(node: T, start: number): T {
    const prev = this.tokens[this.pos - 1];
    setSourceSpan(node, { source: this.source, start, end: prev === undefined ? start : prev.end });
    return node;
  }

  private parseOr(): Expr {
    return this.parseJunction("or", () => this.parseAnd());
  }

  private parseAnd(): Expr {
    return this.parseJunction("and", () => this.parseNot());
  }

  /** `operand (kind operand)*`, left-associative: `a AND b AND c` is `(a AND b) AND c`. */
  private parseJunction(kind: "and" | "or", operand: () => Expr): Expr {
    const start = this.peek().start;
    let left = operand();
    while (this.isKeyword(this.peek(), kind)) {
      this.next();
      left = this.span({ kind, left, right: operand() }, start);
    }
    return left;
  }

  private parseNot(): Expr {
    const nots: Token[] = [];
    while (this.isKeyword(this.peek(), "not")) {
      nots.push(this.next());
      this.enter(nots[nots.length - 1] as Token);
    }
    let e = this.parseCompare();
    for (let i = nots.length - 1; i >= 0; i--) e = this.span({ kind: "not", arg: e }, (nots[i] as Token).start);
    this.depth -= nots.length;
    return e;
  }

  /** One more level of nesting at `t`; refused past MAX_PREDICATE_DEPTH. */
  private enter(t: Token): void {
    if (++this.depth > MAX_PREDICATE_DEPTH) throw nestingError(` at position ${t.start + 1} in: ${clipSource(this.source)}`);
  }

  private isPunct(t: Token, ...values: string[]): boolean {
    return t.kind === "punct" && values.includes(t.value);
  }

  private parseCompare(): Expr {
    const start = this.peek().start;
    const value = this.parseSum("expected a column, a literal, NOT or '('");
    const t = this.peek();
    if (t.kind === "op") {
      this.next();
      const right = this.parseSum("expected a column or a literal");
      return this.span({ kind: "compare", op: t.value as CompareOp, left: value, right }, start);
    }
    if (this.isKeyword(t, "is")) {
      this.next();
      const negated = this.isKeyword(this.peek(), "not");
      if (negated) this.next();
      this.expectKeyword("null", negated ? "expected NULL" : "expected NULL or NOT NULL");
      return this.span({ kind: "isNull", value, negated }, start);
    }
    const negated = this.isKeyword(t, "not") && this.isKeyword(this.peek(1), "in");
    if (negated || this.isKeyword(t, "in")) {
      if (negated) this.next();
      this.next();
      this.expectPunct("(", "expected '(' after IN");
      const list: Literal[] = [];
      for (;;) {
        const item = this.peek();
        const operand = this.parseOperand("expected a literal in the IN list");
        if (operand.kind !== "literal") throw this.unexpected(item, "IN lists hold literals only");
        list.push(operand);
        const sep = this.next();
        if (sep.kind === "punct" && sep.value === ")") break;
        if (sep.kind !== "punct" || sep.value !== ",") throw this.unexpected(sep, "expected ',' or ')'");
      }
      return this.span({ kind: "in", value, list, negated }, start);
    }
    return value;
  }

  private parseSum(hint: string): Expr {
    const start = this.peek().start;
    let left = this.parseProduct(hint);
    while (this.isPunct(this.peek(), "+", "-", "||")) {
      const op = this.next().value;
      const right = this.parseProduct(VALUE_HINT);
      left = this.span(op === "||" ? ({ kind: "concat", left, right } satisfies Concat) : ({ kind: "arith", op: op as "+" | "-", left, right } satisfies Arithmetic), start);
    }
    return left;
  }

  private parseProduct(hint: string): Expr {
    const start = this.peek().start;
    let left = this.parseUnary(hint);
    while (this.isPunct(this.peek(), "*", "/")) {
      const op = this.next().value as "*" | "/";
      left = this.span({ kind: "arith", op, left, right: this.parseUnary(VALUE_HINT) } satisfies Arithmetic, start);
    }
    return left;
  }

  private parseUnary(hint: string): Expr {
    const t = this.peek();
    if (this.isPunct(t, "-") && this.peek(1).kind !== "number") {
      this.next();
      this.enter(t);
      const arg = this.parseUnary(VALUE_HINT);
      this.depth--;
      return this.span({ kind: "negate", arg }, t.start);
    }
    return this.parseAtom(hint);
  }

  private parseAtom(hint: string): Expr {
    const t = this.peek();
    if (this.isPunct(t, "(")) {
      this.next();
      this.enter(t);
      const inner = this.parseOr();
      this.depth--;
      this.expectPunct(")", "expected ')'");
      return inner;
    }
    if (t.kind === "ident") {
      const word = t.value.toLowerCase();
      const following = this.peek(1);
      if (word === "case" && this.startsOperand(following)) return this.parseCase();
      if ((word === "coalesce" || word === "cast") && this.isPunct(following, "(")) return word === "cast" ? this.parseCast() : this.parseCoalesce();
    }
    return this.parseOperand(hint);
  }

  /** Whether `t` can start an operand (so a preceding CASE is the keyword, not a column). */
  private startsOperand(t: Token): boolean {
    if (t.kind === "ident") return !["and", "or", "is", "in", "then", "else", "end"].includes(t.value.toLowerCase());
    return t.kind === "number" || t.kind === "string" || t.kind === "quotedIdent" || this.isPunct(t, "(", "-");
  }

  private parseCase(): Expr {
    const caseToken = this.next();
    this.enter(caseToken);
    // CASE x WHEN v THEN ... is CASE WHEN x = v THEN ...
    const subject = this.isKeyword(this.peek(), "when") ? undefined : this.parseSum(VALUE_HINT);
    const branches: { when: Expr; then: Expr }[] = [];
    while (this.isKeyword(this.peek(), "when")) {
      const whenToken = this.next();
      const cond = subject === undefined ? this.parseOr() : this.parseSum(VALUE_HINT);
      const when: Expr = subject === undefined ? cond : this.span({ kind: "compare", op: "=", left: subject, right: cond }, whenToken.start);
      this.expectKeyword("then", "expected THEN");
      branches.push({ when, then: this.parseOr() });
    }
    if (branches.length === 0) throw this.unexpected(this.peek(), "expected WHEN");
    let otherwise: Expr | undefined;
    if (this.isKeyword(this.peek(), "else")) {
      this.next();
      otherwise = this.parseOr();
    }
    this.expectKeyword("end", branches.length > 0 && otherwise === undefined ? "expected WHEN, ELSE or END" : "expected END");
    this.depth--;
    return this.span({ kind: "case", branches, otherwise }, caseToken.start);
  }

  private parseCoalesce(): Expr {
    const t = this.next();
    this.enter(t);
    this.expectPunct("(", "expected '(' after COALESCE");
    const args: Expr[] = [];
    for (;;) {
      args.push(this.parseOr());
      const sep = this.next();
      if (this.isPunct(sep, ")")) break;
      if (!this.isPunct(sep, ",")) throw this.unexpected(sep, "expected ',' or ')'");
    }
    this.depth--;
    return this.span({ kind: "coalesce", args }, t.start);
  }

  private parseCast(): Expr {
    const t = this.next();
    this.enter(t);
    this.expectPunct("(", "expected '(' after CAST");
    const arg = this.parseOr();
    this.expectKeyword("as", "expected AS");
    const nameToken = this.next();
    if (nameToken.kind !== "ident") throw this.unexpected(nameToken, "expected a type name");
    const args: number[] = [];
    let typeText = nameToken.value.toLowerCase();
    if (this.isPunct(this.peek(), "(")) {
      this.next();
      for (;;) {
        const n = this.next();
        if (n.kind !== "number" || !/^\d+$/.test(n.value)) throw this.unexpected(n, "expected a whole number");
        args.push(Number(n.value));
        const sep = this.next();
        if (this.isPunct(sep, ")")) break;
        if (!this.isPunct(sep, ",")) throw this.unexpected(sep, "expected ',' or ')'");
      }
      typeText += `(${args.join(",")})`;
    }
    const type = castTypeNamed(nameToken.value, args);
    if (!type) throw syntaxError(`unknown type ${typeText}`, this.source, nameToken.start, `one of ${CAST_TYPE_NAMES.join(", ")}`);
    this.expectPunct(")", "expected ')'");
    this.depth--;
    return this.span({ kind: "cast", arg, type, typeText }, t.start);
  }

  private parseOperand(hint: string): Operand {
    const t = this.next();
    switch (t.kind) {
      case "string":
        return this.span({ kind: "literal", type: "string", value: t.value }, t.start);
      case "number":
        return this.span(numberLiteral(t.value), t.start);
      case "quotedIdent":
        return this.parseColumn(t);
      case "punct":
        if (t.value === "-" && this.peek().kind === "number") {
          return this.span(numberLiteral("-" + this.next().value), t.start);
        }
        throw this.unexpected(t, hint);
      case "ident": {
        const word = t.value.toLowerCase();
        if (word === "null") return this.span({ kind: "literal", type: "null" }, t.start);
        if (word === "true" || word === "false") {
          return this.span({ kind: "literal", type: "boolean", value: word === "true" }, t.start);
        }
        if (TEMPORAL_KEYWORDS.has(word) && this.peek().kind === "string") return this.temporal(t, word);
        if (RESERVED.has(word)) throw this.unexpected(t, `${hint}; quote a column named ${t.value} as \`${t.value}\``);
        return this.parseColumn(t);
      }
      default:
        throw this.unexpected(t, hint);
    }
  }

  private parseColumn(first: Token): Operand {
    const path = [first.value];
    while (this.peek().kind === "punct" && this.peek().value === ".") {
      this.next();
      const part = this.next();
      const bare = part.kind === "ident" && !RESERVED.has(part.value.toLowerCase());
      if (!bare && part.kind !== "quotedIdent") throw this.unexpected(part, "expected a field name after '.'");
      path.push(part.value);
    }
    return this.span({ kind: "column", path }, first.start);
  }

  private temporal(keyword: Token, word: string): Operand {
    const str = this.next();
    const type = word as "date" | "timestamp" | "timestamp_ntz";
    let ok: boolean;
    if (type === "date") ok = parseDate(str.value) !== undefined;
    else {
      const ts = parseTimestamp(str.value);
      ok = ts !== undefined && !(type === "timestamp_ntz" && ts.hasZone);
    }
    if (!ok) {
      const form =
        type === "date"
          ? "expected YYYY-MM-DD"
          : `expected YYYY-MM-DD[ HH:MM[:SS[.ffffff]]]${type === "timestamp" ? "[Z|+HH:MM]" : " without a zone"}`;
      throw syntaxError(`invalid ${type.toUpperCase()} literal '${str.value}'`, this.source, str.start, form);
    }
    return this.span({ kind: "literal", type, text: str.value }, keyword.start);
  }
}

function numberLiteral(text: string): Literal {
  const type = /[eE]/.test(text) ? "float" : text.includes(".") ? "decimal" : "integer";
  return { kind: "literal", type, text };
}

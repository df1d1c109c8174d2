/**
 * Number formatting the way Java (and so Spark) prints floats and doubles: the shortest digits that
 * read back to the same value, laid out as `Double.toString` does ("10.0", "0.001", "1.0E7",
 * "1.0E-4", "NaN", "Infinity"). Floats use the shortest digits that round-trip through float32,
 * so 0.1f prints "0.1", not the double expansion of the float.
 */

/** Shortest decimal digits and exponent of a finite non-zero number: value = d.ddd x 10^exp. */
interface Digits {
  negative: boolean;
  digits: string;
  exp: number;
}

function digitsOf(x: number): Digits {
  const [mantissa = "", exponent = "0"] = Math.abs(x).toExponential().split("e");
  return { negative: x < 0, digits: mantissa.replace(".", ""), exp: Number(exponent) };
}

function javaLayout({ negative, digits, exp }: Digits): string {
  const sign = negative ? "-" : "";
  if (exp >= -3 && exp < 7) {
    if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
    const frac = digits.slice(exp + 1);
    return `${sign}${intPart}.${frac === "" ? "0" : frac}`;
  }
  const rest = digits.slice(1);
  return `${sign}${digits[0] ?? "0"}.${rest === "" ? "0" : rest}E${exp}`;
}

function special(x: number): string | undefined {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  return undefined;
}

/** Formats a double as Java's Double.toString does (with shortest round-trip digits). */
export function formatDoubleJava(x: number): string {
  return special(x) ?? javaLayout(digitsOf(x));
}

/** The shortest decimal string that reads back (through Math.fround) to the same float32. */
export function shortestFloat32(x: number): number {
  const f = Math.fround(x);
  if (!Number.isFinite(f) || f === 0) return f;
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(f.toPrecision(p));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}

/** Formats a float32 value as Java's Float.toString does. */
export function formatFloatJava(x: number): string {
  const f = Math.fround(x);
  return special(f) ?? javaLayout(digitsOf(shortestFloat32(f)));
}

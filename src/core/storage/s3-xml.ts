/**
 * A small XML reader for object-store responses (S3 ListObjectsV2, multipart results and errors,
 * Azure List Blobs and errors). Workers have no DOMParser, and these documents are simple: elements,
 * attributes, text, the five named entities and numeric character references, CDATA, comments and
 * the XML declaration. No DTDs, no namespaces beyond keeping the `xmlns` attribute. The reader
 * builds a tiny element tree; `child`, `children` and `text` walk it.
 */
import { StorageError } from "../errors.js";

/** One XML element: its name (as written, prefix included), attributes, child elements and text. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The concatenated character data directly inside this element (entities decoded). */
  text: string;
}

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Decodes `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#NN;` and `&#xHH;` in character data. */
export function decodeXmlEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, body: string) => {
    if (body.startsWith("#x") || body.startsWith("#X")) return codePoint(parseInt(body.slice(2), 16), whole);
    if (body.startsWith("#")) return codePoint(parseInt(body.slice(1), 10), whole);
    return NAMED_ENTITIES[body] ?? whole;
  });
}

function codePoint(n: number, fallback: string): string {
  return Number.isFinite(n) && n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : fallback;
}

/** Escapes text for use inside an XML element (request bodies such as CompleteMultipartUpload). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos" }[c]};`);
}

/** Parses an XML document and returns its root element; malformed input is a StorageError. */
export function parseXml(xml: string, source = "response"): XmlElement {
  const root: XmlElement = { name: "#document", attributes: {}, children: [], text: "" };
  const stack: XmlElement[] = [root];
  let i = 0;
  const fail = (why: string): never => {
    throw new StorageError(`malformed XML in ${source}: ${why} at offset ${i}`);
  };
  /** The offset just past the next `marker` from `i` (a construct's end); fails when there is none. */
  const skipPast = (marker: string, construct: string): number => {
    const end = xml.indexOf(marker, i);
    if (end < 0) fail(`unterminated ${construct}`);
    return end + marker.length;
  };
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    const top = stack[stack.length - 1] as XmlElement;
    if (lt < 0) {
      top.text += decodeXmlEntities(xml.slice(i));
      break;
    }
    if (lt > i) top.text += decodeXmlEntities(xml.slice(i, lt));
    i = lt;
    if (xml.startsWith("<?", i)) {
      i = skipPast("?>", "declaration");
    } else if (xml.startsWith("<!--", i)) {
      i = skipPast("-->", "comment");
    } else if (xml.startsWith("<![CDATA[", i)) {
      const end = skipPast("]]>", "CDATA");
      top.text += xml.slice(i + 9, end - 3);
      i = end;
    } else if (xml.startsWith("<!", i)) {
      i = skipPast(">", "doctype");
    } else if (xml.startsWith("</", i)) {
      const end = skipPast(">", "end tag");
      const name = xml.slice(i + 2, end - 1).trim();
      if (stack.length < 2 || top.name !== name) fail(`unexpected </${name}>`);
      stack.pop();
      i = end;
    } else {
      i = readStartTag(xml, i, stack, fail);
    }
  }
  if (stack.length !== 1) fail(`unclosed <${(stack[stack.length - 1] as XmlElement).name}>`);
  const first = root.children[0];
  if (first === undefined) return fail("no root element");
  return first;
}

const NAME = /[^\s/>=]+/y;
const ATTRIBUTE = /\s*([^\s/>=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;

/** Reads `<name attr="v" ...>` or `<name/>` at `start`; returns the offset after it. */
function readStartTag(xml: string, start: number, stack: XmlElement[], fail: (why: string) => never): number {
  NAME.lastIndex = start + 1;
  const name = NAME.exec(xml)?.[0];
  if (name === undefined) fail("bad start tag");
  const element: XmlElement = { name: name as string, attributes: {}, children: [], text: "" };
  let i = NAME.lastIndex;
  for (;;) {
    ATTRIBUTE.lastIndex = i;
    const match = ATTRIBUTE.exec(xml);
    if (match === null) break;
    element.attributes[match[1] as string] = decodeXmlEntities(match[2] ?? match[3] ?? "");
    i = ATTRIBUTE.lastIndex;
  }
  while (i < xml.length && /\s/.test(xml[i] as string)) i++;
  (stack[stack.length - 1] as XmlElement).children.push(element);
  if (xml.startsWith("/>", i)) return i + 2;
  if (xml[i] !== ">") fail(`bad start tag <${element.name}`);
  stack.push(element);
  return i + 1;
}

/** The first child element named `name` (local name; a namespace prefix is ignored), if any. */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => localName(c.name) === name);
}

/** Every child element named `name`. */
export function children(element: XmlElement | undefined, name: string): XmlElement[] {
  return element === undefined ? [] : element.children.filter((c) => localName(c.name) === name);
}

/** The text of the child element `name` (undefined when there is no such element). */
export function childText(element: XmlElement | undefined, name: string): string | undefined {
  return child(element, name)?.text;
}

function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
}

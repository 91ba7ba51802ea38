/** What a syntax scan of one JSON text found. Offsets are UTF-16 indexes into the text. */
export interface JsonScan {
  /** The first syntax error, or null when the text is valid JSON. */
  error: { offset: number; message: string } | null;
  /** Where each element of a top-level array starts; empty when the root is not an array. */
  elementOffsets: number[];
}

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ["true", "false", "null"];

/**
 * Checks JSON syntax and says where the first error is. Node 20's `JSON.parse` names no position for
 * many errors ("Unexpected token 'x', … is not valid JSON"), and a file's user needs a line and column.
 */
export function scanJson(text: string): JsonScan {
  const elementOffsets: number[] = [];
  let offset = 0;
  const fail = (message: string): never => {
    throw new JsonSyntaxError(offset, offset >= text.length ? `${message}, but the text ends here` : `${message}, found ${shown(text[offset]!)}`);
  };
  const skipSpace = (): void => {
    while (offset < text.length && " \t\n\r".includes(text[offset]!)) offset += 1;
  };
  const expect = (character: string, message: string): void => {
    skipSpace();
    if (text[offset] !== character) fail(message);
    offset += 1;
  };
  const value = (depth: number): void => {
    skipSpace();
    const character = text[offset];
    if (character === "{") return container("}", depth, () => (string(), expect(":", "expected ':' after the property name"), value(depth + 1)));
    if (character === "[") return container("]", depth, () => value(depth + 1));
    if (character === '"') return string();
    const literal = LITERALS.find((word) => text.startsWith(word, offset));
    if (literal) {
      offset += literal.length;
      return;
    }
    NUMBER.lastIndex = offset;
    if (NUMBER.test(text)) {
      offset = NUMBER.lastIndex;
      return;
    }
    fail("expected a value (an object, array, string, number, true, false or null)");
  };
  const container = (close: string, depth: number, member: () => void): void => {
    offset += 1;
    skipSpace();
    if (text[offset] === close) {
      offset += 1;
      return;
    }
    for (;;) {
      skipSpace();
      if (depth === 0 && close === "]") elementOffsets.push(offset);
      if (close === "}" && text[offset] !== '"') fail("expected a double-quoted property name");
      member();
      skipSpace();
      if (text[offset] === close) {
        offset += 1;
        return;
      }
      if (text[offset] !== ",") fail(`expected ',' or '${close}'`);
      offset += 1;
      skipSpace();
      if (text[offset] === close) fail(`expected another ${close === "}" ? "property" : "element"} after ',' (JSON allows no trailing comma)`);
    }
  };
  const string = (): void => {
    offset += 1;
    while (offset < text.length) {
      const character = text[offset]!;
      if (character === '"') {
        offset += 1;
        return;
      }
      if (character < " ") fail("expected the string to continue (a raw line break or control character must be escaped, e.g. \\n)");
      if (character === "\\") {
        offset += 1;
        const escape = text[offset];
        if (escape === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(offset + 1, offset + 5))) offset += 4;
        else if (escape === undefined || !'"\\/bfnrt'.includes(escape)) fail("expected a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)");
      }
      offset += 1;
    }
    fail("expected a closing '\"'");
  };
  try {
    value(0);
    skipSpace();
    if (offset < text.length) fail("expected the end of the JSON value (one value per JSON text)");
    return { error: null, elementOffsets };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { error: { offset: error.offset, message: error.message }, elementOffsets };
    if (error instanceof RangeError) return { error: { offset, message: "the value is nested too deeply" }, elementOffsets };
    throw error;
  }
}

function shown(character: string): string {
  if (character === "\n") return "a line break";
  if (character < " ") return `control character U+${character.charCodeAt(0).toString(16).padStart(4, "0").toUpperCase()}`;
  return `'${character}'`;
}

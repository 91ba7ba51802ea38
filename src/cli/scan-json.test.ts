import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { scanJson } from "./scan-json.js";

const VALID = ['{"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"]}', "[]", "{}", ' [ {} , [ ] ] ', '"just a string"', "0", "-0.1E+2", '{"nested": {"deep": [[[]]]}}'];
const INVALID: [string, number, RegExp][] = [
  ['{"a": }', 6, /expected a value.*found '}'/],
  ['{"a": 1', 7, /expected ',' or '}', but the text ends here/],
  ['{"a": 1,}', 8, /expected another property after ',' \(JSON allows no trailing comma\), found '}'/],
  ["[1, 2,]", 6, /no trailing comma/],
  ['{"a" 1}', 5, /expected ':' after the property name, found '1'/],
  ["", 0, /expected a value .*, but the text ends here/],
  ['"a\nb"', 2, /must be escaped.*found a line break/],
  ['"\\x"', 2, /expected a valid escape/],
  ["01", 1, /expected the end of the JSON value/],
  ["[1] [2]", 4, /expected the end/],
  ["{'a': 1}", 1, /double-quoted property name, found '''/],
  ["tru", 0, /expected a value/],
  ['"open', 5, /expected a closing '"', but the text ends here/],
];

describe("scanJson", () => {
  it("accepts what JSON.parse accepts", () => {
    for (const text of VALID) {
      JSON.parse(text);
      assert.equal(scanJson(text).error, null, text);
    }
  });

  it("gives the offset and a reason for the first syntax error", () => {
    for (const [text, offset, message] of INVALID) {
      assert.throws(() => JSON.parse(text), SyntaxError, text);
      const { error } = scanJson(text);
      assert.equal(error?.offset, offset, text);
      assert.match(error?.message ?? "", message, text);
    }
  });

  it("lists where each element of a top-level array starts", () => {
    assert.deepEqual(scanJson('[\n {"a": [1, 2]},\n "b" ,3]').elementOffsets, [3, 19, 24]);
    assert.deepEqual(scanJson('{"a": [1, 2]}').elementOffsets, []);
  });
});

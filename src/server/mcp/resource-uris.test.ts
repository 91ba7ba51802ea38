import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { memoryUri, parseResourceUri, spaceUri, targetKey } from "./resource-uris.js";

describe("resource URIs", () => {
  it("round-trips memory ids and space names, keeping a name with / in one segment", () => {
    assert.deepEqual(parseResourceUri(memoryUri("01HX")), { type: "memory", id: "01HX" });
    assert.equal(spaceUri("team/a@b"), "mnemo://spaces/team%2Fa%40b");
    assert.deepEqual(parseResourceUri(spaceUri("team/a@b")), { type: "space", name: "team/a@b" });
  });

  it("gives every spelling of a target the same key", () => {
    assert.equal(targetKey(parseResourceUri("mnemo://spaces/team%2Fa")!), targetKey(parseResourceUri(spaceUri("team/a"))!));
  });

  it("rejects what is not one of its URIs", () => {
    for (const uri of ["https://memories/x", "mnemo://memories/", "mnemo://memories/a/b", "mnemo://notes/x", "mnemo://spaces/%E0%A4%A", "mnemo://memories/x?y"]) {
      assert.equal(parseResourceUri(uri), null, uri);
    }
  });
});

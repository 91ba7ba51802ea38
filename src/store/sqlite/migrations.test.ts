import assert from "node:assert/strict";
import { describe, it } from "node:test";
import Database from "better-sqlite3";
import { SCHEMA_VERSION, migrate } from "./migrations.js";

describe("migrate", () => {
  it("skips a step another process applied while this one waited for the write lock", () => {
    const db = new Database(":memory:");
    migrate(db, () => 0);
    // What the losing process saw: user_version read as 0 before it got the lock.
    let staleReads = 1;
    const racing = new Proxy(db, {
      get(target, property) {
        if (property !== "pragma") return Reflect.get(target, property, target);
        return (source: string, options?: { simple?: boolean }) => {
          if (source === "user_version" && staleReads > 0) {
            staleReads -= 1;
            return 0;
          }
          return target.pragma(source, options);
        };
      },
    });
    assert.doesNotThrow(() => migrate(racing, () => 0));
    assert.equal(db.pragma("user_version", { simple: true }), SCHEMA_VERSION);
    assert.equal((db.prepare("SELECT COUNT(*) AS n FROM schema_migrations").get() as { n: number }).n, SCHEMA_VERSION);
    db.close();
  });
});

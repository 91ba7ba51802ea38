import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ApiKeyRecord } from "../src/index.js";
import { authenticateApiKey } from "../src/server/api-keys.js";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import { once } from "node:events";
import { cliSandbox, output, spawnCli, type CliSandbox } from "./support/run-cli.js";

describe("mnemo keys", () => {
  let sandbox: CliSandbox;
  before(() => {
    sandbox = cliSandbox();
  });
  after(() => sandbox.remove());

  it("creates a key for --principal of --tenant, shows it once, lists and revokes it", async () => {
    const created = sandbox.run(["--tenant", "acme", "--principal", "planner", "keys", "create", "--name", "planner agent", "--json"]);
    assert.equal(created.status, 0, created.stderr);
    const { key, id } = JSON.parse(created.stdout) as ApiKeyRecord & { key: string };
    const store = await openSqliteStore({ path: sandbox.db });
    try {
      assert.deepEqual(await authenticateApiKey(store, key), { tenantId: "acme", principalId: "planner", keyId: id });
    } finally {
      await store.close();
    }
    sandbox.run(["--tenant", "other", "keys", "create", "--name", "elsewhere"]);
    const listed = sandbox.run(["--tenant", "acme", "keys", "list"]);
    assert.equal(listed.status, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`^${id} +acme +planner +active +\\S+ +planner agent$`, "m"));
    assert.doesNotMatch(listed.stdout, /elsewhere/, "only the tenant's keys without --all");
    // The secret is base64url, so it may hold "_" itself: all after the second "_" (its first part could be "").
    assert.ok(!listed.stdout.includes(key.split("_").slice(2).join("_")), "a listing never shows a secret");
    assert.match(sandbox.run(["keys", "list", "--all"]).stdout, /elsewhere/);
    const revoked = sandbox.run(["keys", "revoke", id]);
    assert.equal(revoked.status, 0, revoked.stderr);
    assert.match(revoked.stdout, /is revoked since/);
    assert.match(sandbox.run(["--tenant", "acme", "keys", "list"]).stdout, /revoked \d{4}-/);
  });

  it("refuses a missing name, an unknown key and a missing database clearly", () => {
    const noName = sandbox.run(["keys", "create"]);
    assert.equal(noName.status, 2);
    assert.match(noName.stderr, /--name/);
    const unknown = sandbox.run(["keys", "revoke", "nope"]);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /No API key with id "nope"/);
    const missing = sandbox.run(["keys", "list", "--db", `${sandbox.directory}/missing.db`], { withoutDb: true });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /No database at/);
  });

  it("serves the HTTP API with those keys until SIGTERM, and refuses another address while no key exists", async () => {
    const fresh = cliSandbox();
    try {
      const refused = fresh.run(["serve", "--host", "0.0.0.0", "--port", "0"]);
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, /serving on 0\.0\.0\.0 needs API keys/);
      const created = JSON.parse(fresh.run(["--principal", "ana", "keys", "create", "--name", "ana", "--json"]).stdout) as { key: string };
      const server = spawnCli(fresh, ["serve", "--port", "0"]);
      try {
        const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(await output(server, "stdout", /listening on http:\S+ /))![1]!;
        const response = await fetch(`${url}/v1/events`, {
          method: "POST",
          headers: { authorization: `Bearer ${created.key}`, "content-type": "application/json" },
          body: JSON.stringify({ text: "served over HTTP" }),
        });
        assert.equal(response.status, 201);
        assert.equal((await fetch(`${url}/v1/events`, { method: "POST", body: "{}" })).status, 401);
      } finally {
        server.kill("SIGTERM");
      }
      const [status] = (await once(server, "close")) as [number | null];
      assert.equal(status, 0, "a clean stop on SIGTERM");
      assert.equal(fresh.stats().events, 1, "what ana sent is stored, in the tenant space everyone reads");
    } finally {
      fresh.remove();
    }
  });
});

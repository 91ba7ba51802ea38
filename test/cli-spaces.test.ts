import assert from "node:assert/strict";
import { once } from "node:events";
import { after, before, describe, it } from "node:test";
import type { RecallResult } from "../src/index.js";
import { cliSandbox, jsonl, output, spawnCli, type CliRun, type CliSandbox } from "./support/run-cli.js";

const HELD = { text: "The deploy key rotates every Monday at noon.", speaker: "ana", idempotencyKey: "ana/2" };
const LIVE = { text: "Standup moves to 9:30 from next week.", speaker: "lead", idempotencyKey: "lead/1" };

interface FeedLine {
  seq: number;
  operation: string;
  space: string;
  actor: string;
  at: string;
  memoryId: string | null;
  version: number | null;
  kind: string | null;
  text: string | null;
}

function ok(result: CliRun): CliRun {
  assert.equal(result.status, 0, result.stderr);
  return result;
}

function failed(result: CliRun, status: number, message: RegExp, code?: string): void {
  assert.equal(result.status, status, `exit ${result.status}: ${result.stderr}`);
  assert.match(result.stderr, message);
  if (code !== undefined) assert.match(result.stderr, new RegExp(`^code: ${code}$`, "m"));
  assert.equal(result.stdout, "");
}

function feedLines(result: CliRun): FeedLine[] {
  const lines = ok(result).stdout.trimEnd().split("\n").filter((line) => line !== "");
  const parsed = lines.map((line) => JSON.parse(line) as FeedLine);
  assert.ok(
    parsed.every((line, index) => index === 0 || line.seq > parsed[index - 1]!.seq),
    `in seq order: ${parsed.map((line) => line.seq).join(", ")}`,
  );
  for (const line of parsed) assert.deepEqual(Object.keys(line), ["seq", "operation", "space", "actor", "at", "memoryId", "version", "kind", "text"]);
  return parsed;
}

/** The rows of a table below its header, split into cells. */
function rows(stdout: string, header: RegExp): string[][] {
  const [first, ...lines] = stdout.trimEnd().split("\n");
  assert.match(first ?? "", header);
  return lines.filter((line) => !line.startsWith("(") && !line.startsWith("Decide")).map((line) => line.trim().split(/ {2,}/));
}

// Usage errors need no database: they run alongside the steps of the shared one, which run in order.
describe("mnemo spaces, review and feed", { concurrency: true }, () => {
  describe("between principals of one database", { concurrency: 1 }, () => {
    let sandbox: CliSandbox;
    /** `mnemo --principal <who> <args>`; ana acts through $MNEMO_PRINCIPAL instead. */
    const as = (who: string, args: readonly string[]): Promise<CliRun> =>
      who === "ana" ? sandbox.runAsync(args, { env: { MNEMO_PRINCIPAL: "ana" } }) : sandbox.runAsync(["--principal", who, ...args]);
    let heldId = "";

    before(() => {
      sandbox = cliSandbox();
      sandbox.write("held.jsonl", jsonl([HELD]));
      sandbox.write("live.jsonl", jsonl([LIVE]));
    });
    after(() => sandbox.remove());

    it("a lead creates a shared space and adds a member, who lists it and writes to it; an outsider cannot see it", async () => {
      const created = ok(await as("lead", ["spaces", "create", "team", "--member", "bob=read", "--admission", "review"])).stdout;
      assert.match(created, /^Created space team, with you \(lead\) as its admin\.$/m);
      assert.match(created, /^ {2}admission {3}review: held until an admin approves them \(mnemo review\)$/m);
      const added = ok(await as("lead", ["spaces", "add-member", "team", "ana", "write"])).stdout;
      assert.match(added, /^ana is now write in space team\.$/m);
      assert.match(added, /^ {2}members {5}3 members\n {4}ana +write +since .*\n {4}bob +read +since .*\n {4}lead +admin +since /m);
      const [listed, ingested, outsider] = await Promise.all([
        as("ana", ["spaces"]),
        as("ana", ["ingest", `${sandbox.directory}/held.jsonl`, "--space", "team", "--no-extract"]),
        as("carol", ["spaces", "show", "team"]),
      ]);
      const table = rows(ok(listed).stdout, /^name +type +your role +everyone +admission$/);
      assert.deepEqual(table, [
        ["default", "global", "write", "write", "always"],
        ["team", "shared", "write", "-", "review"],
      ]);
      assert.match(ok(ingested).stdout, /^Ingested 1 new event\.$/m);
      failed(outsider, 1, /^error: Space "team" does not exist, or is not one you may read\.$/m, "space_not_found");
    });

    it("under review admission a writer's ingest is pending until the admin approves it; then the reader recalls it", async () => {
      const [queue, early] = await Promise.all([as("lead", ["review"]), as("bob", ["recall", "deploy key rotates", "--json"])]);
      const [row, ...others] = rows(ok(queue).stdout, /^id +space +author +text +why$/);
      assert.equal(others.length, 0, queue.stdout);
      assert.deepEqual(row?.slice(1, 4), ["team", "ana", HELD.text]);
      assert.match(row?.[4] ?? "", /^pending/);
      heldId = row?.[0] ?? "";
      assert.match(heldId, /^mem_\w+$/);
      assert.ok(!(JSON.parse(ok(early).stdout) as RecallResult).items.some((item) => item.memory.text === HELD.text), "a reader does not see a held memory");
      const approved = ok(await as("lead", ["review", "approve", heldId, "--why", "checked against the runbook"])).stdout;
      assert.match(approved, new RegExp(`^Approved ${heldId} in space team: every reader sees it now\\.$`, "m"));
      assert.match(approved, /^ {2}why {2}checked against the runbook$/m);
      const [recalled, emptyQueue] = await Promise.all([as("bob", ["recall", "deploy key rotates", "--json"]), as("lead", ["review", "list", "--space", "team"])]);
      const item = (JSON.parse(ok(recalled).stdout) as RecallResult).items.find((candidate) => candidate.memory.text === HELD.text);
      assert.equal(item?.memory.author, "ana");
      assert.equal(item?.memory.admission.status, "admitted");
      assert.equal(ok(emptyQueue).stdout, "No memory is waiting for review in team.\n");
    });

    it("feed prints NDJSON in seq order, only what the principal may see, filtered by --space, --kind and --since", async () => {
      const [bob, carol, lead] = await Promise.all([as("bob", ["feed", "--since", "1"]), as("carol", ["feed"]), as("lead", ["feed", "--space", "team", "--kind", "episode"])]);
      const bobs = feedLines(bob);
      assert.ok(bobs.every((line) => line.seq > 1));
      assert.deepEqual(bobs.map((line) => [line.operation, line.space, line.actor, line.text]), [
        ["space.created", "team", "lead", null],
        ["space.updated", "team", "lead", null],
        ["memory.admitted", "team", "lead", HELD.text],
      ], "a reader gets the admission of a held memory, not its creation");
      assert.deepEqual(feedLines(carol).map((line) => [line.seq, line.operation, line.space]), [[1, "space.created", "default"]], "an outsider sees nothing of the team");
      const leads = feedLines(lead);
      assert.deepEqual(leads.map((line) => [line.operation, line.actor, line.text]), [
        ["memory.created", "ana", HELD.text],
        ["memory.admitted", "lead", HELD.text],
      ]);
      assert.ok(leads.every((line) => line.space === "team" && line.kind === "episode" && line.memoryId === heldId && line.version === 1));
    });

    it("feed --follow prints a change another process writes after it started, and exits 0 on SIGTERM", async () => {
      const follower = spawnCli(sandbox, ["--principal", "bob", "feed", "--follow", "--space", "team"]);
      try {
        await output(follower, "stderr", /Following the changes from now on; Ctrl-C stops\./);
        ok(await as("lead", ["ingest", `${sandbox.directory}/live.jsonl`, "--space", "team", "--no-extract"]));
        const stdout = await output(follower, "stdout", /\n/);
        const [line, ...more] = stdout.trimEnd().split("\n").map((text) => JSON.parse(text) as FeedLine);
        assert.equal(more.length, 0, stdout);
        assert.deepEqual([line?.operation, line?.space, line?.actor, line?.text], ["memory.created", "team", "lead", LIVE.text]);
        follower.kill("SIGTERM");
        const [status, signal] = (await once(follower, "close")) as [number | null, string | null];
        assert.deepEqual([status, signal], [0, null]);
      } finally {
        if (follower.exitCode === null && follower.signalCode === null) follower.kill("SIGKILL");
      }
    });

    it("refusals by the library exit 1 with its code and a message in the flags' terms", async () => {
      const refused: [string, string[], RegExp, string][] = [
        ["lead", ["spaces", "create", "no room!"], /^error: <name>: "no room!" is not a valid space name/m, "invalid_input"],
        ["lead", ["spaces", "remove-member", "team", "carol"], /^error: <principal>: carol is not a member of space team \(members: ana, bob, lead\)\. Nothing was changed\.$/m, "invalid_input"],
        ["carol", ["feed", "--space", "team"], /^error: Space "team" does not exist, or is not one you may read\./m, "space_not_found"],
      ];
      const [admission, ...results] = await Promise.all([as("lead", ["spaces", "admission", "team", "scored", "--threshold", "0.7"]), ...refused.map(([who, args]) => as(who, args))]);
      assert.equal(ok(admission!).stdout, "Space team now admits writes from non-admins by scored: admitted when their score reaches 0.7.\n");
      for (const [index, [, , message, code]] of refused.entries()) failed(results[index]!, 1, message, code);
    });
  });

  it("bad flags are usage errors (exit 2) that say what is wrong", async () => {
    const sandbox = cliSandbox();
    try {
      const usage: [string[], RegExp][] = [
        [["spaces", "create", "x", "--member", "ana"], /--member must be principal=role, with role one of read, write, admin \(e\.g\. --member scout=write\), got "ana"\./],
        [["spaces", "create", "x", "--admission", "scored", "--threshold", "1.5"], /--threshold must be a number from 0 to 1 \(e\.g\. 0\.6\), got "1\.5"\./],
        [["spaces", "create", "x", "--admission", "review", "--threshold", "0.5"], /^error: --threshold applies to --admission scored only\.$/m],
        [["spaces", "add-member", "team", "ana", "owner"], /<role> must be one of read, write, admin, got "owner"\./],
        [["--principal", " ", "feed", "--kind", "gossip"], /--principal must be a non-empty name of at most 128 characters\./],
      ];
      const results = await Promise.all(usage.map(([args]) => sandbox.runAsync(args)));
      for (const [index, [, message]] of usage.entries()) failed(results[index]!, 2, message);
    } finally {
      sandbox.remove();
    }
  });
});

import { existsSync } from "node:fs";
import { InvalidArgumentError, type Command } from "commander";
import type { ApiKeyRecord } from "../../domain/types.js";
import { issueApiKey } from "../../server/api-keys.js";
import { openSqliteStore } from "../../store/sqlite/open-sqlite-store.js";
import type { MemoryStore } from "../../store/store.js";
import { databasePath, identity } from "../open-memory.js";

const MAX_NAME_LENGTH = 200;

/** `mnemo keys`: the server's API keys, each acting as one principal of one tenant. */
export function registerKeysCommand(program: Command): void {
  const keys = program
    .command("keys")
    .description("Manage the API keys of mnemo serve: each acts as one principal (--principal) of one tenant (--tenant)");
  keys
    .command("create")
    .description("Make a key for --principal in --tenant; it is printed once, and only a hash of it is stored")
    .requiredOption("--name <text>", "what the key is for, e.g. \"planner agent\"", parseName)
    .option("--json", "print the key and its record as JSON")
    .action(async (flags: { name: string; json?: boolean }, command: Command) => {
      const { tenant, principal } = identity(command);
      await withStore(command, false, async (store) => {
        const { key, record } = await issueApiKey(store, { tenantId: tenant, principalId: principal, name: flags.name }, Date.now());
        if (flags.json) return console.log(JSON.stringify({ key, ...record }, null, 2));
        console.log(`Key ${record.id} for principal "${principal}" of tenant "${tenant}" (${record.name}):\n\n  ${key}\n`);
        console.log("Keep it now: it is not shown again (only a hash of it is stored). Revoke it with mnemo keys revoke " + record.id);
      });
    });
  keys
    .command("list")
    .description("List the keys of --tenant (or of every tenant with --all), newest first; never their secrets")
    .option("--all", "every tenant's keys")
    .option("--json", "print the keys as JSON")
    .action(async (flags: { all?: boolean; json?: boolean }, command: Command) => {
      const { tenant } = identity(command);
      await withStore(command, true, async (store) => {
        const list = await store.listApiKeys(flags.all ? undefined : tenant);
        console.log(flags.json ? JSON.stringify(list, null, 2) : formatKeys(list, flags.all ? "any tenant" : `tenant "${tenant}"`));
      });
    });
  keys
    .command("revoke")
    .description("Revoke a key for good: requests with it are refused from now on")
    .argument("<id>", "the key's id (mnemo keys list shows it)")
    .action(async (id: string, _flags: unknown, command: Command) => {
      await withStore(command, true, async (store) => {
        const record = await store.revokeApiKey(id, Date.now());
        console.log(`Key ${record.id} (${record.name}, principal "${record.principal}" of tenant "${record.tenant}") is revoked since ${record.revokedAt}.`);
      });
    });
}

async function withStore(command: Command, mustExist: boolean, work: (store: MemoryStore) => Promise<void>): Promise<void> {
  const path = databasePath(command);
  if (mustExist && path !== ":memory:" && !existsSync(path)) throw new Error(`No database at ${path}. Point --db or $MNEMO_DB at the one mnemo serve uses.`);
  const store = await openSqliteStore({ path });
  try {
    await work(store);
  } finally {
    await store.close();
  }
}

function formatKeys(list: readonly ApiKeyRecord[], of: string): string {
  if (list.length === 0) return `No API keys for ${of}. Make one with mnemo keys create --name <text>.`;
  const rows = list.map((key) => [key.id, key.tenant, key.principal, key.revokedAt === null ? "active" : `revoked ${key.revokedAt}`, key.createdAt, key.name]);
  const header = ["id", "tenant", "principal", "status", "created", "name"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  return [header, ...rows].map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  ")).join("\n");
}

function parseName(value: string): string {
  if (value.trim() === "" || value.length > MAX_NAME_LENGTH) throw new InvalidArgumentError(`--name must be 1 to ${MAX_NAME_LENGTH} characters.`);
  return value;
}

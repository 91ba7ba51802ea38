import { afterEach, describe, it } from "node:test";
import type { MemoryStore } from "../store/store.js";
import { GLOBAL_DEFAULT, T0, TENANT_A, TENANT_B, type ContractContext } from "./store-contract-fixtures.js";
import { describeIsolation, describePositions, describeReads } from "./store-contract-reads.js";
import { describeAccess } from "./store-contract-access.js";
import { describeApiKeys } from "./store-contract-keys.js";
import { describeJobs } from "./store-contract-jobs.js";
import { describeVectors } from "./store-contract-vectors.js";
import { describeAppend, describeVersions } from "./store-contract-writes.js";

export interface StoreContractOptions {
  /** Names the suite, e.g. "sqlite (:memory:)". */
  name: string;
  /** Opens a new, empty store. Each test opens its own and the suite closes it afterwards. */
  create: () => Promise<MemoryStore>;
  /** Tests this adapter cannot pass yet: test name → the reason, shown in the test report. */
  skip?: Record<string, string>;
}

/**
 * The `MemoryStore` conformance suite: every adapter runs it, under `node:test`. It checks each method
 * against the contract in `store.ts`: tenant isolation, spaces and roles, admission, idempotent appends, compare-and-set, history,
 * forgetting, text search with its filters, the change feed, paging and the lifecycle.
 *
 * @example
 * testStore({ name: "sqlite", create: () => openSqliteStore({ path: ":memory:" }) });
 */
export function testStore(options: StoreContractOptions): void {
  const skip = options.skip ?? {};
  const registered = new Set<string>();
  describe(`MemoryStore contract: ${options.name}`, () => {
    const opened: MemoryStore[] = [];
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });
    const context: ContractContext = {
      open: async () => {
        const store = await options.create();
        opened.push(store);
        await store.ensureScope(TENANT_A, GLOBAL_DEFAULT, T0);
        await store.ensureScope(TENANT_B, GLOBAL_DEFAULT, T0);
        return store;
      },
      it: (name, run) => {
        if (registered.has(name)) throw new Error(`The store contract has two tests named "${name}"; skip lists need unique names.`);
        registered.add(name);
        const reason = skip[name];
        it(name, reason === undefined ? {} : { skip: reason }, run);
      },
    };
    describeAppend(context);
    describeVersions(context);
    describeReads(context);
    describePositions(context);
    describeIsolation(context);
    describeVectors(context);
    describeJobs(context);
    describeAccess(context);
    describeApiKeys(context);
    const unknown = Object.keys(skip).filter((name) => !registered.has(name));
    if (unknown.length > 0) throw new Error(`testStore(${options.name}): the skip list names tests that do not exist: ${unknown.join("; ")}.`);
  });
}

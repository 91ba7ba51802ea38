import type { Command } from "commander";
import { serveHttp } from "../../server/http/serve-http.js";
import { openSqliteStore } from "../../store/sqlite/open-sqlite-store.js";
import { embedderFromEnvironment } from "../embedder-from-environment.js";
import { integerOption } from "../integer-option.js";
import { llmFromEnvironment } from "../llm-from-environment.js";
import { databasePath } from "../open-memory.js";

/** `mnemo serve`: the HTTP API on one database, until SIGINT or SIGTERM. */
export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("Serve the HTTP API (/v1, OpenAPI at /v1/openapi.json) on this database; requests authenticate with keys from mnemo keys create")
    .option("--host <address>", "the address to listen on; other than loopback only once an API key exists", "127.0.0.1")
    .option("--port <n>", "the port (0 picks a free one)", integerOption("--port", { min: 0, max: 65_535 }), 7777)
    .option("--rate-limit <n>", "requests per second each API key may make, with bursts of twice that (0: no limit)", integerOption("--rate-limit", { min: 0, max: 1_000_000 }), 100)
    .action(async (flags: { host: string; port: number; rateLimit: number }, command: Command) => {
      const embedder = embedderFromEnvironment();
      const llm = llmFromEnvironment();
      const store = await openSqliteStore({ path: databasePath(command) });
      let server;
      try {
        const rateLimit = flags.rateLimit === 0 ? false : { requestsPerSecond: flags.rateLimit };
        server = await serveHttp({ store, host: flags.host, port: flags.port, rateLimit, memory: { embedder, llm } });
      } catch (error) {
        await store.close();
        throw error;
      }
      console.log(`mnemo serve: listening on ${server.url} (OpenAPI: ${server.url}/v1/openapi.json); Ctrl-C stops.`);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      console.error("mnemo serve: stopping: finishing requests in flight and background jobs.");
      await server.close();
      await store.close();
    });
}

// The server under `mnemo bench server`, in its own process so that the load generator does not share
// its event loop: it serves the database named on the command line until SIGTERM, and prints its URL.
import { serveHttp } from "../../src/server/http/serve-http.js";
import { openSqliteStore } from "../../src/store/sqlite/open-sqlite-store.js";

const path = process.argv[2];
if (!path) throw new Error("usage: server-child <database>");
const store = await openSqliteStore({ path });
// Limits off: the bench measures the server, not the default allowance of one key.
const server = await serveHttp({ store, port: 0, rateLimit: false });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.once("SIGTERM", () => {
  void server
    .close()
    .then(() => store.close())
    .then(() => process.exit(0));
});

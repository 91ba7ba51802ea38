// Runs the extraction jobs of a memory file against a model server, for the crash test: the parent
// kills this process (SIGKILL) while jobs are under way. Arguments: the database path and the model's base URL.
import { createMemory, createOpenAIChat } from "../../src/index.js";

const [path, baseURL] = process.argv.slice(2);
if (!path || !baseURL) throw new Error("usage: run-jobs-child <db> <baseURL>");
const memory = await createMemory({
  path,
  llm: createOpenAIChat({ baseURL, model: "scripted" }),
  extraction: { background: false, batchSize: 1, concurrency: 2 },
});
process.stdout.write("running\n");
await memory.jobs.run();
process.stdout.write("finished\n");
await memory.close();

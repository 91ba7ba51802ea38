// mnemo/server: the HTTP API (with MCP at /v1/mcp) and its API keys.
export { serveHttp, type HttpServer, type ServeHttpOptions } from "./http/serve-http.js";
export { createHttpApp, type HttpApp, type HttpAppOptions } from "./http/create-http-app.js";
export type { RateLimit } from "./http/rate-limiter.js";
export { issueApiKey, authenticateApiKey, type IssuedApiKey } from "./api-keys.js";

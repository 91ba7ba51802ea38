export { testStore, type StoreContractOptions } from "./store-contract.js";
export { testVectorIndex, type VectorIndexContractOptions } from "./vector-index-contract.js";
export { startOpenAITestServer, chatCompletion, hashedEmbedding, type OpenAITestServer, type OpenAITestServerOptions, type ChatResponder, type ChatAnswer, type ScriptedReply, type RecordedRequest } from "./openai-test-server.js";

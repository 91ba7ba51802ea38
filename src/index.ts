export { createMemory, type CreateMemoryOptions, type Memory, type MemoryJobs } from "./memory.js";
export type { MemoryReview, MemorySpaces, ReviewOptions } from "./share/bind-sharing.js";
export type { Subscription } from "./share/subscribe-changes.js";
export { ADMISSION_MODES, ADMISSION_STATUSES, SPACE_ROLES, SPACE_TYPES, TENANT_SPACE } from "./domain/spaces.js";
export type {
  AdmissionMode,
  AdmissionPolicy,
  AdmissionRecord,
  AdmissionStatus,
  CreateSpaceOptions,
  SpaceDetails,
  SpaceMember,
  SpaceRecord,
  SpaceRole,
  SpaceType,
} from "./domain/spaces.js";
export type { ExtractionOptions } from "./ingest/validate-extraction.js";
export type { IngestOptions } from "./ingest/ingest-stream.js";
export type { JobRunSummary } from "./ingest/job-worker.js";
export type { RecallTuningOptions } from "./recall/recall-tuning.js";
export type { NeighbourSpreading } from "./recall/spread-to-neighbours.js";
export { MemoryError, MEMORY_ERROR_CODES, type MemoryErrorCode, type MemoryErrorOptions } from "./domain/memory-error.js";
export { MEMORY_KINDS, EVENT_KINDS, EVENT_ROLES, JOB_STATUSES, CHANGE_OPERATIONS } from "./domain/types.js";
export type {
  ApiKeyRecord,
  AssembledContext,
  Attachment,
  ChangeEvent,
  ChangeOperation,
  EventInput,
  EventKind,
  EventRole,
  ForgetResult,
  IngestedEvent,
  IngestResult,
  JobRecord,
  JobStatus,
  JobUsage,
  ListOptions,
  MemoryChange,
  MemoryKind,
  MemoryLink,
  MemoryOrigin,
  MemoryPage,
  MemoryRecord,
  MemoryStats,
  RecallItem,
  RecallOptions,
  RecallResult,
  SubscribeOptions,
  TimeInput,
  TimeRange,
  UpdateInput,
} from "./domain/types.js";
export type { IdGenerator } from "./domain/ids.js";
export type { Tokenizer } from "./providers/tokenizer.js";
export type { MemoryStore, StoreScope } from "./store/store.js";
export type { EngineLimits } from "./engine.js";
export type { Embedder, EmbedOptions } from "./providers/embedder.js";
export { createOpenAIEmbedder, type OpenAIEmbedderOptions } from "./providers/openai-compatible/create-openai-embedder.js";
export type { OpenAICompatibleOptions } from "./providers/openai-compatible/check-options.js";
export type { JsonCompletion, JsonCompletionRequest, JsonSchema, LanguageModel, LanguageModelUsage, TokenUsage } from "./providers/llm.js";
export { createOpenAIChat, type OpenAIChatOptions, type StructuredOutput } from "./providers/openai-compatible/create-openai-chat.js";
export { createTransformersEmbedder, type TransformersDtype, type TransformersEmbedderOptions } from "./providers/transformers/create-transformers-embedder.js";
export { createVectorIndex, type VectorIndexOptions } from "./store/vector/create-vector-index.js";
export type { VectorIndex, VectorHit } from "./store/vector/vector-index.js";

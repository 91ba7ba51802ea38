import { MemoryError } from "../../domain/memory-error.js";

export type TransformersModule = typeof import("@huggingface/transformers");

const PACKAGE = "@huggingface/transformers";

/**
 * Imports `@huggingface/transformers`, an optional peer dependency, when a transformers embedder is
 * created: importing mnemo never loads it (nor its native ONNX runtime). `load` is replaceable so tests
 * can show what happens when the package is missing.
 */
export async function loadTransformers(load: () => Promise<TransformersModule> = () => import("@huggingface/transformers")): Promise<TransformersModule> {
  try {
    return await load();
  } catch (error) {
    if (isMissing(error)) {
      throw new MemoryError("provider", `transformers: cannot find the package ${PACKAGE}, which local embedding models need. Install it with \`npm install ${PACKAGE}\`, or use another embedder (e.g. createOpenAIEmbedder).`, {
        details: { provider: "transformers", package: PACKAGE },
        cause: error,
      });
    }
    throw new MemoryError("provider", `transformers: ${PACKAGE} is installed but failed to load: ${error instanceof Error ? error.message : String(error)}. Reinstall it (npm install ${PACKAGE}); its ONNX runtime (onnxruntime-node) ships CPU binaries for Linux, macOS and Windows.`, {
      details: { provider: "transformers", package: PACKAGE },
      cause: error,
    });
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && error instanceof Error && error.message.includes(PACKAGE);
}

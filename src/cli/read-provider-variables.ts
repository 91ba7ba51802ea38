import { MemoryError } from "../domain/memory-error.js";

// What embedderFromEnvironment and llmFromEnvironment share, so that both refuse a partial, misspelt or
// malformed setup alike: with an error naming the variable, never silently running without the provider.

export type Environment = Readonly<Record<string, string | undefined>>;

/** A provider's MNEMO_* variables. */
export interface ProviderVariables<Name extends string> {
  /** Each variable, and the adapter option it sets. */
  options: Readonly<Record<Name, string>>;
  /** The variable that turns the provider on: the API's root URL. */
  baseURL: Name;
  /** Names that look like the provider's, so that a misspelt one is refused rather than ignored. */
  family: RegExp;
  /** What the variables turn on, for messages: "semantic recall". */
  feature: string;
  /** What the base URL is the root of, for messages: "embeddings API". */
  api: string;
  /** A working setup, quoted in errors. */
  example: string;
}

/** The variables of a setup that has its base URL. */
export interface SetVariables<Name extends string> {
  baseURL: string;
  /** The variable's value, trimmed, or undefined when it is unset or blank. */
  optional(variable: Name): string | undefined;
  /** The variable's value, trimmed; throws `invalid_input` naming it, with `fix`, when it is unset or blank. */
  required(variable: Name, fix: string): string;
}

/**
 * The provider's variables, or `undefined` when none is set (blank counts as unset). Throws `invalid_input`
 * naming the variable for an unknown name of the family, and for others set without the base URL.
 */
export function readProviderVariables<Name extends string>(environment: Environment, spec: ProviderVariables<Name>): SetVariables<Name> | undefined {
  const optional = (variable: Name): string | undefined => {
    const value = environment[variable]?.trim();
    return value === "" ? undefined : value;
  };
  rejectUnknownVariables(environment, spec);
  const baseURL = optional(spec.baseURL);
  if (baseURL === undefined) {
    const others = (Object.keys(spec.options) as Name[]).filter((variable) => optional(variable) !== undefined);
    if (others.length === 0) return undefined;
    const names = others.join(" and ");
    throw configurationError(
      others[0]!,
      `${names} ${others.length === 1 ? "is" : "are"} set but ${spec.baseURL} is not. Set ${spec.baseURL} to the ${spec.api}'s root URL to turn on ${spec.feature} (e.g. ${spec.example}), or unset ${names}.`,
    );
  }
  return {
    baseURL,
    optional,
    required(variable, fix) {
      const value = optional(variable);
      if (value === undefined) throw configurationError(variable, `${variable} is not set, but ${spec.baseURL} is: ${fix}`);
      return value;
    },
  };
}

/** Calls the adapter's factory, naming the variable instead of the option in its `invalid_input` errors. */
export function createFromVariables<T, Name extends string>(spec: ProviderVariables<Name>, create: () => T): T {
  try {
    return create();
  } catch (error) {
    throw renamed(error, spec);
  }
}

export function configurationError(variable: string, message: string, cause?: unknown): MemoryError {
  return new MemoryError("invalid_input", message, { details: { field: variable }, ...(cause === undefined ? {} : { cause }) });
}

/** `MNEMO_EMBEDDER_URL`, `MNEMO_EMBEDDINGS_MODEL` or `MNEMO_LLM_KEY` would otherwise be ignored without a word. */
function rejectUnknownVariables<Name extends string>(environment: Environment, spec: ProviderVariables<Name>): void {
  const unknown = Object.keys(environment).filter((name) => spec.family.test(name) && !(name in spec.options) && environment[name]?.trim());
  if (unknown.length === 0) return;
  const names = unknown.join(", ");
  const feature = `${spec.feature.charAt(0).toUpperCase()}${spec.feature.slice(1)}`;
  throw configurationError(
    unknown[0]!,
    `${names} ${unknown.length === 1 ? "is not a variable" : "are not variables"} mnemo reads. ${feature} is configured with ${Object.keys(spec.options).join(", ")}: rename or unset ${names}.`,
  );
}

/** The adapter names its options (`baseURL: …`); the user set variables. */
function renamed<Name extends string>(error: unknown, spec: ProviderVariables<Name>): unknown {
  if (!(error instanceof MemoryError) || error.code !== "invalid_input") return error;
  const entries = Object.entries(spec.options) as [Name, string][];
  const entry = entries.find(([, option]) => option === error.details["field"]);
  if (entry === undefined) return error;
  const [variable, option] = entry;
  const apiKey = entries.find(([, name]) => name === "apiKey")?.[0];
  const message = error.message.replace(new RegExp(`^${option}: `), "");
  return configurationError(variable, `${variable}: ${apiKey === undefined ? message : message.replace(/\bapiKey\b/g, apiKey)}`, error);
}

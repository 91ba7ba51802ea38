import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { ApiKeyRecord } from "../domain/types.js";
import type { MemoryStore, StoreScope } from "../store/store.js";

const PREFIX = "mnemo";
/** Ids are for finding a key and listing it; the secret alone proves it. */
const ID_BYTES = 9;
const SECRET_BYTES = 32;
const KEY_SHAPE = /^mnemo_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface IssuedApiKey {
  /** The whole key, shown once: only a hash of its secret is stored. */
  key: string;
  record: ApiKeyRecord;
}

/**
 * Makes a key for one principal of one tenant: `mnemo_<id>_<secret>`, 256 random bits of secret. The
 * secret is stored as its SHA-256: a hash that is fast to check is enough for a secret this long (no
 * dictionary to guess from), and leaves the database useless to a thief.
 */
export async function issueApiKey(store: MemoryStore, owner: StoreScope & { name: string }, at: number): Promise<IssuedApiKey> {
  const id = randomBytes(ID_BYTES).toString("base64url").replace(/[-_]/g, "x");
  const secret = randomBytes(SECRET_BYTES).toString("base64url");
  const record = await store.saveApiKey({ id, tenantId: owner.tenantId, principalId: owner.principalId, name: owner.name, secretHash: hashSecret(secret) }, at);
  return { key: `${PREFIX}_${id}_${secret}`, record };
}

/** The scope a presented key acts as, or null when it is malformed, unknown or revoked (callers answer 401 alike). */
export async function authenticateApiKey(store: MemoryStore, presented: string): Promise<(StoreScope & { keyId: string }) | null> {
  const match = KEY_SHAPE.exec(presented);
  if (!match) return null;
  const [, id, secret] = match as unknown as [string, string, string];
  const stored = await store.findApiKey(id);
  if (!stored || stored.revokedAt !== null) return null;
  const expected = Buffer.from(stored.secretHash, "hex");
  const actual = Buffer.from(hashSecret(secret), "hex");
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  return { tenantId: stored.tenant, principalId: stored.principal, keyId: stored.id };
}

function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

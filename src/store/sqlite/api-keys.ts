import { MemoryError } from "../../domain/memory-error.js";
import { toIso } from "../../domain/time.js";
import type { ApiKeyRecord } from "../../domain/types.js";
import type { NewApiKey } from "../store.js";
import type { SqliteSession } from "./sqlite-session.js";

interface ApiKeyRow {
  id: string;
  tenant_id: string;
  principal_id: string;
  name: string;
  secret_hash: string;
  created_at: number;
  revoked_at: number | null;
}

export function saveApiKey(session: SqliteSession, key: NewApiKey, at: number): ApiKeyRecord {
  return session.write(() => {
    if (session.statement("SELECT 1 FROM api_keys WHERE id = ?").get(key.id)) {
      throw new MemoryError("conflict", `An API key with id "${key.id}" exists already. Make a new id.`, { details: { id: key.id } });
    }
    session
      .statement("INSERT INTO api_keys (id, tenant_id, principal_id, name, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)")
      .run(key.id, key.tenantId, key.principalId, key.name, key.secretHash, at);
    return withoutHash(findApiKey(session, key.id)!);
  });
}

export function listApiKeys(session: SqliteSession, tenantId: string | undefined): ApiKeyRecord[] {
  const rows = (
    tenantId === undefined
      ? session.statement("SELECT * FROM api_keys ORDER BY created_at DESC, id").all()
      : session.statement("SELECT * FROM api_keys WHERE tenant_id = ? ORDER BY created_at DESC, id").all(tenantId)
  ) as ApiKeyRow[];
  return rows.map((row) => withoutHash(toRecord(row)));
}

export function revokeApiKey(session: SqliteSession, id: string, at: number): ApiKeyRecord {
  return session.write(() => {
    session.statement("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(at, id);
    const key = findApiKey(session, id);
    if (!key) throw new MemoryError("not_found", `No API key with id "${id}". List them with mnemo keys list.`, { details: { id } });
    return withoutHash(key);
  });
}

export function findApiKey(session: SqliteSession, id: string): (ApiKeyRecord & { secretHash: string }) | undefined {
  const row = session.statement("SELECT * FROM api_keys WHERE id = ?").get(id) as ApiKeyRow | undefined;
  return row && toRecord(row);
}

function toRecord(row: ApiKeyRow): ApiKeyRecord & { secretHash: string } {
  return {
    id: row.id,
    tenant: row.tenant_id,
    principal: row.principal_id,
    name: row.name,
    createdAt: toIso(row.created_at)!,
    revokedAt: toIso(row.revoked_at),
    secretHash: row.secret_hash,
  };
}

function withoutHash(key: ApiKeyRecord & { secretHash: string }): ApiKeyRecord {
  const { secretHash: _secretHash, ...record } = key;
  return record;
}

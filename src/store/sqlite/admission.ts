import { MemoryError } from "../../domain/memory-error.js";
import type { MemoryRecord } from "../../domain/types.js";
import type { AdmissionDecision, StoreScope } from "../store.js";
import { readAccess } from "./access.js";
import type { SqliteSession } from "./sqlite-session.js";
import { loadRow, notFound, versionConflict, visibleCurrent } from "./update-memory.js";

/** An admin's verdict on a held or rejected memory; every version takes it. */
export function decideAdmission(session: SqliteSession, scope: StoreScope, id: string, decision: AdmissionDecision, at: number): MemoryRecord {
  return session.write(() => {
    const current = visibleCurrent(session, scope, readAccess(session, scope), id, "admin");
    if (current.forgotten_at !== null) throw notFound(id);
    if (decision.expectedVersion !== undefined && current.version !== decision.expectedVersion) throw versionConflict(id, decision.expectedVersion, current.version);
    if (current.admission === "admitted") {
      throw new MemoryError("conflict", `Memory ${id} is already admitted to space "${current.space_name}"; only held or rejected memories can be decided.`, {
        details: { id, admission: "admitted" },
      });
    }
    const why = JSON.stringify({ why: decision.why, decidedBy: scope.principalId });
    session.statement("UPDATE memories SET admission = ?, admission_why = ? WHERE tenant_id = ? AND id = ?").run(decision.status, why, scope.tenantId, id);
    session.recordChange({
      tenantId: scope.tenantId,
      operation: decision.status === "admitted" ? "memory.admitted" : "memory.rejected",
      spaceRow: current.space_row,
      memoryId: id,
      version: current.version,
      at,
      actor: scope.principalId,
      kind: current.kind,
      owner: current.owner_id,
      restricted: decision.status !== "admitted",
    });
    return loadRow(session, current.row_id);
  });
}

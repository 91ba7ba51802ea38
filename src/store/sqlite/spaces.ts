import { MemoryError } from "../../domain/memory-error.js";
import type { AdmissionPolicy, SpaceDetails, SpaceRecord, SpaceRole, SpaceType } from "../../domain/spaces.js";
import { toIso } from "../../domain/time.js";
import type { NewSpace, StoreScope } from "../store.js";
import { readAccess, requireSpace, type Access } from "./access.js";
import type { SqliteSession } from "./sqlite-session.js";

interface SpaceTableRow {
  row_id: number;
  name: string;
  type: SpaceType;
  everyone_role: SpaceRole | null;
  admission: string;
  created_by: string | null;
  created_at: number;
}

const SPACE_COLUMNS = "sp.row_id, sp.name, sp.type, sp.everyone_role, sp.admission, sp.created_by, sp.created_at";

/** Call inside `write`: the principal row must exist before it can be a member. */
export function ensurePrincipal(session: SqliteSession, tenantId: string, principal: string, at: number): void {
  session.statement("INSERT INTO principals (tenant_id, id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING").run(tenantId, principal, at);
}

/** Call inside `write`. Creates the space, or returns it unchanged when the caller may read it. */
export function insertSpace(session: SqliteSession, scope: StoreScope, space: NewSpace, at: number): SpaceRecord {
  const existing = session.statement(`SELECT ${SPACE_COLUMNS} FROM spaces sp WHERE sp.tenant_id = ? AND sp.name = ?`).get(scope.tenantId, space.name) as SpaceTableRow | undefined;
  if (existing) {
    const role = readAccess(session, scope).roles.get(existing.row_id);
    if (role === undefined) {
      throw new MemoryError("conflict", `The space name "${space.name}" is taken in this tenant. Choose another name.`, { details: { space: space.name } });
    }
    return toSpaceRecord(existing, role);
  }
  const { lastInsertRowid } = session
    .statement("INSERT INTO spaces (tenant_id, name, created_at, type, everyone_role, created_by, admission) VALUES (?, ?, ?, ?, ?, ?, ?)")
    .run(scope.tenantId, space.name, at, space.type, space.everyone, scope.principalId, JSON.stringify(space.admission));
  const row = Number(lastInsertRowid);
  const members = new Map(space.members.map((member) => [member.principal, member.role]));
  members.set(scope.principalId, "admin");
  for (const [principal, role] of members) addMember(session, scope.tenantId, row, principal, role, at);
  session.recordChange({ tenantId: scope.tenantId, operation: "space.created", spaceRow: row, memoryId: null, version: null, at, actor: scope.principalId, kind: null, owner: null, restricted: false });
  return toSpaceRecord(
    { row_id: row, name: space.name, type: space.type, everyone_role: space.everyone, admission: JSON.stringify(space.admission), created_by: scope.principalId, created_at: at },
    "admin",
  );
}

export function listSpaces(session: SqliteSession, scope: StoreScope): SpaceRecord[] {
  const access = readAccess(session, scope);
  const rows = session
    .statement(`SELECT ${SPACE_COLUMNS} FROM json_each(?) r CROSS JOIN spaces sp ON sp.row_id = r.value ORDER BY sp.name`)
    .all(access.readable) as SpaceTableRow[];
  return rows.map((row) => toSpaceRecord(row, access.roles.get(row.row_id)!));
}

export function getSpace(session: SqliteSession, scope: StoreScope, name: string, access: Access = readAccess(session, scope)): SpaceDetails | undefined {
  const row = session.statement(`SELECT ${SPACE_COLUMNS} FROM spaces sp WHERE sp.tenant_id = ? AND sp.name = ?`).get(scope.tenantId, name) as SpaceTableRow | undefined;
  const role = row && access.roles.get(row.row_id);
  if (!row || role === undefined) return undefined;
  const members = session.statement("SELECT principal_id, role, added_at FROM space_members WHERE space_row = ? ORDER BY principal_id").all(row.row_id) as {
    principal_id: string;
    role: SpaceRole;
    added_at: number;
  }[];
  return { ...toSpaceRecord(row, role), members: members.map((member) => ({ principal: member.principal_id, role: member.role, addedAt: toIso(member.added_at)! })) };
}

export function setMember(session: SqliteSession, scope: StoreScope, name: string, member: { principal: string; role: SpaceRole | null }, at: number): SpaceDetails {
  return session.write(() => {
    const access = readAccess(session, scope);
    const space = requireSpace(session, scope, access, name, "admin");
    if (space.type === "private" && member.principal !== scope.principalId) {
      throw new MemoryError("invalid_input", `Space "${name}" is private: it has one member, its creator. Create a shared space for a team.`, {
        details: { field: "principal", space: name },
      });
    }
    if (member.role === null) {
      session.statement("DELETE FROM space_members WHERE space_row = ? AND principal_id = ?").run(space.row, member.principal);
    } else {
      addMember(session, scope.tenantId, space.row, member.principal, member.role, at);
    }
    const admins = session.statement("SELECT COUNT(*) AS n FROM space_members WHERE space_row = ? AND role = 'admin'").get(space.row) as { n: number };
    if (admins.n === 0) {
      // Throwing rolls the change back.
      throw new MemoryError("invalid_input", `That would leave space "${name}" without an admin. Make another member an admin first.`, {
        details: { field: "role", space: name },
      });
    }
    recordSpaceUpdate(session, scope, space.row, at);
    return getSpace(session, scope, name)!;
  });
}

export function setAdmission(session: SqliteSession, scope: StoreScope, name: string, policy: AdmissionPolicy, at: number): SpaceDetails {
  return session.write(() => {
    const access = readAccess(session, scope);
    const space = requireSpace(session, scope, access, name, "admin");
    session.statement("UPDATE spaces SET admission = ? WHERE row_id = ?").run(JSON.stringify(policy), space.row);
    recordSpaceUpdate(session, scope, space.row, at);
    return getSpace(session, scope, name, access)!;
  });
}

function addMember(session: SqliteSession, tenantId: string, spaceRow: number, principal: string, role: SpaceRole, at: number): void {
  ensurePrincipal(session, tenantId, principal, at);
  session
    .statement(
      `INSERT INTO space_members (tenant_id, space_row, principal_id, role, added_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (space_row, principal_id) DO UPDATE SET role = excluded.role`,
    )
    .run(tenantId, spaceRow, principal, role, at);
}

function recordSpaceUpdate(session: SqliteSession, scope: StoreScope, spaceRow: number, at: number): void {
  session.recordChange({ tenantId: scope.tenantId, operation: "space.updated", spaceRow, memoryId: null, version: null, at, actor: scope.principalId, kind: null, owner: null, restricted: false });
}

function toSpaceRecord(row: SpaceTableRow, role: SpaceRole): SpaceRecord {
  return {
    name: row.name,
    type: row.type,
    role,
    everyone: row.everyone_role,
    admission: JSON.parse(row.admission) as AdmissionPolicy,
    createdBy: row.created_by,
    createdAt: toIso(row.created_at)!,
  };
}

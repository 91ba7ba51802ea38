import { MemoryError } from "../../domain/memory-error.js";
import { allows, strongerRole, type AdmissionPolicy, type SpaceRole } from "../../domain/spaces.js";
import type { StoreScope } from "../store.js";
import type { SqliteSession } from "./sqlite-session.js";

/** What one principal may do, space by space (by row id); read once per call, so a call sees one state. */
export interface Access {
  principal: string;
  roles: Map<number, SpaceRole>;
  /** JSON arrays of space rows, as the SQL conditions below take them. */
  readable: string;
  admin: string;
}

export function readAccess(session: SqliteSession, scope: StoreScope): Access {
  const rows = session
    .statement(
      `SELECT row_id AS space_row, everyone_role AS role FROM spaces WHERE tenant_id = ? AND everyone_role IS NOT NULL
       UNION ALL SELECT space_row, role FROM space_members WHERE tenant_id = ? AND principal_id = ?`,
    )
    .all(scope.tenantId, scope.tenantId, scope.principalId) as { space_row: number; role: SpaceRole }[];
  const roles = new Map<number, SpaceRole>();
  for (const row of rows) roles.set(row.space_row, strongerRole(roles.get(row.space_row) ?? null, row.role)!);
  const admin = [...roles].filter(([, role]) => role === "admin").map(([row]) => row);
  return { principal: scope.principalId, roles, readable: JSON.stringify([...roles.keys()]), admin: JSON.stringify(admin) };
}

/**
 * The conditions (over `m` memories) that keep a read to visible memories: in a readable space, and
 * admitted, or created by the caller (whoever revised it since), or in a space the caller administers. `held` widens the last part to
 * everything visible; without it, others' memories that are not admitted are left out even for admins.
 */
export function visibleMemorySql(access: Access, options: { held: boolean }): { where: string[]; parameters: unknown[] } {
  const where = ["m.space_row IN (SELECT value FROM json_each(?))"];
  const parameters: unknown[] = [access.readable];
  if (options.held) {
    where.push("(m.admission = 'admitted' OR m.owner_id = ? OR m.space_row IN (SELECT value FROM json_each(?)))");
    parameters.push(access.principal, access.admin);
  } else {
    where.push("(m.admission = 'admitted' OR m.owner_id = ?)");
    parameters.push(access.principal);
  }
  return { where, parameters };
}

export interface SpaceRow {
  row: number;
  name: string;
  type: string;
  role: SpaceRole;
  admission: AdmissionPolicy;
}

/**
 * The named space, if the caller may read it and has `needed`: `space_not_found` when it cannot read it
 * (whether or not it exists), `forbidden` when it can read it but its role falls short.
 */
export function requireSpace(session: SqliteSession, scope: StoreScope, access: Access, name: string, needed: SpaceRole): SpaceRow {
  const row = session.statement("SELECT row_id, type, admission FROM spaces WHERE tenant_id = ? AND name = ?").get(scope.tenantId, name) as
    | { row_id: number; type: string; admission: string }
    | undefined;
  const role = row ? (access.roles.get(row.row_id) ?? null) : null;
  if (!row || role === null) throw spaceNotFound(name);
  if (!allows(role, needed)) throw forbidden(`space "${name}"`, role, needed);
  return { row: row.row_id, name, type: row.type, role, admission: JSON.parse(row.admission) as AdmissionPolicy };
}

export function spaceNotFound(name: string): MemoryError {
  return new MemoryError("space_not_found", `Space "${name}" does not exist, or is not one you may read. List yours with listSpaces(); an admin of a space can add you to it.`, {
    details: { space: name },
  });
}

export function forbidden(what: string, role: SpaceRole, needed: SpaceRole): MemoryError {
  const verb = needed === "admin" ? "manage" : needed;
  return new MemoryError("forbidden", `Your role in ${what} is "${role}"; to ${verb} there you need "${needed}". Ask an admin of the space for it.`, {
    details: { role, needed },
  });
}

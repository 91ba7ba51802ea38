import type { MemoryFilter } from "../store.js";
import { visibleMemorySql, type Access } from "./access.js";

/** The WHERE conditions (over `m` memories and `s` spaces) that every search applies, with their parameters. */
export function memoryFilterSql(tenantId: string, access: Access, filter: MemoryFilter): { where: string[]; parameters: unknown[] } {
  const visible = visibleMemorySql(access, { held: false });
  const where: string[] = ["m.tenant_id = ?", "m.forgotten_at IS NULL", ...visible.where];
  const parameters: unknown[] = [tenantId, ...visible.parameters];
  addListFilter(filter, where, parameters);
  if (filter.current) {
    where.push("m.superseded_at IS NULL", "(m.valid_to IS NULL OR m.valid_to > ?)");
    parameters.push(filter.asOf);
  } else {
    where.push(
      "m.recorded_at <= ?",
      "(m.superseded_at IS NULL OR m.superseded_at > ?)",
      "(m.valid_from IS NULL OR m.valid_from <= ?)",
      "(m.valid_to IS NULL OR m.valid_to > ?)",
    );
    parameters.push(filter.asOf, filter.asOf, filter.asOf, filter.asOf);
  }
  if (filter.from !== undefined) {
    where.push("m.valid_from >= ?");
    parameters.push(filter.from);
  }
  if (filter.to !== undefined) {
    where.push("m.valid_from <= ?");
    parameters.push(filter.to);
  }
  return { where, parameters };
}

/** Adds the optional space, kind and author conditions (over `m` memories and `s` spaces). */
export function addListFilter(
  filter: { spaces?: readonly string[]; kinds?: readonly string[]; authors?: readonly string[] },
  where: string[],
  parameters: unknown[],
): void {
  // JSON parameters keep the statement text the same however many names are listed.
  if (filter.spaces) {
    where.push("s.name IN (SELECT value FROM json_each(?))");
    parameters.push(JSON.stringify(filter.spaces));
  }
  if (filter.kinds) {
    where.push("m.kind IN (SELECT value FROM json_each(?))");
    parameters.push(JSON.stringify(filter.kinds));
  }
  if (filter.authors) {
    where.push("m.author_id IN (SELECT value FROM json_each(?))");
    parameters.push(JSON.stringify(filter.authors));
  }
}

import type { MemoryFilter, StoreScope } from "../store.js";

/** The WHERE conditions (over `m` memories and `s` spaces) that every search applies, with their parameters. */
export function memoryFilterSql(scope: StoreScope, filter: MemoryFilter): { where: string[]; parameters: unknown[] } {
  const where: string[] = ["m.tenant_id = ?", "m.forgotten_at IS NULL"];
  const parameters: unknown[] = [scope.tenantId];
  addSpaceAndKindFilter(filter, where, parameters);
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

/** Adds the optional space and kind conditions (over `m` memories and `s` spaces). */
export function addSpaceAndKindFilter(filter: { spaces?: readonly string[]; kinds?: readonly string[] }, where: string[], parameters: unknown[]): void {
  if (filter.spaces) {
    where.push(`s.name IN (${placeholders(filter.spaces)})`);
    parameters.push(...filter.spaces);
  }
  if (filter.kinds) {
    where.push(`m.kind IN (${placeholders(filter.kinds)})`);
    parameters.push(...filter.kinds);
  }
}

export function placeholders(values: readonly unknown[]): string {
  return values.map(() => "?").join(", ");
}

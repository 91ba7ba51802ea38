/** Figures as the CLI prints them, independent of the machine's locale. */
export function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}

/** A count and its noun: "1 job", "2 jobs", "1,024 memories". */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : plural}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

export function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** An ISO 8601 time as "2024-03-04 18:02" (UTC), or "-" when there is none. */
export function formatTime(iso: string | null): string {
  return iso === null ? "-" : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** An ISO 8601 time to the second, as "2024-03-04 18:02:05 UTC", or "-" when there is none. */
export function formatInstant(iso: string | null): string {
  return iso === null ? "-" : `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

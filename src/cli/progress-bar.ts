import { SingleBar } from "cli-progress";

/** A progress bar on stderr (so stdout stays clean for the summary), started at 0 of `total`. */
export function progressBar(total: number, unit = "events"): SingleBar {
  const bar = new SingleBar({
    stream: process.stderr,
    format: `ingesting [{bar}] {percentage}% | {value}/{total} ${unit} | {eta_formatted} left`,
    barsize: 30,
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(total, 0);
  return bar;
}

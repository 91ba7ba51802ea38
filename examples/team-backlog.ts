// The backlog of the parallel-team example: the sub-problems, how each agent words a finding, and the
// noise agents write besides (status chatter, restatements of findings already shared).

/** One sub-problem of the backlog: what an agent learns by solving it is its cause and fix. */
export interface Problem {
  id: string;
  title: string;
  cause: string;
  fix: string;
  /** Work units a solve costs, drawn from the seed. */
  cost: number;
}

export const BACKLOG: readonly Omit<Problem, "cost">[] = [
  ["checkout-retry", "flaky test checkout-retry", "the mock clock is never advanced past the 5 s backoff", "advance the fake timer by 5 s before asserting"],
  ["login-redirect", "login redirect loop on Safari", "the session cookie lacks SameSite=None with Secure", "set SameSite=None and Secure on the session cookie"],
  ["search-latency", "search p95 latency spike", "the trigram index on products.name was dropped by a migration", "recreate the GIN trigram index concurrently"],
  ["invoice-rounding", "invoice totals off by one cent", "line items are rounded before summing", "sum in integer cents and round once at the end"],
  ["upload-timeout", "large uploads time out at 30 s", "nginx keeps its default proxy_read_timeout", "raise proxy_read_timeout to 300 s for /upload"],
  ["cron-double-run", "nightly report email sent twice", "both replicas run the cron scheduler", "take a Postgres advisory lock before the job starts"],
  ["docker-build-cache", "docker build reinstalls dependencies every time", "COPY of the sources comes before npm ci and busts the layer cache", "copy package-lock.json first and run npm ci before the sources"],
  ["worker-leak", "queue worker memory grows until OOM", "an event listener is added per job and never removed", "register the listener once outside the job handler"],
  ["report-timezone", "weekly report misses Sunday orders", "the date range is computed in UTC instead of the shop's zone", "build the range in the shop's IANA zone"],
  ["csv-encoding", "CSV export garbles accented names in Excel", "the file starts without a UTF-8 byte order mark", "prepend a BOM to every CSV export"],
  ["webhook-signature", "Stripe webhook signature check fails", "the JSON body parser rewrites the raw payload before verification", "verify against the raw request buffer"],
  ["pagination-duplicates", "API pagination returns duplicate rows", "ORDER BY created_at is not unique", "add id as a tiebreaker in ORDER BY and in the cursor"],
  ["modal-click", "e2e test cannot click the confirm modal", "the fade animation of the modal is still running", "disable animations in the test environment"],
  ["migration-lock", "deploy hangs at the schema migration", "ALTER TABLE waits behind a long analytics transaction", "set lock_timeout and retry the migration"],
  ["cors-preflight", "browser blocks PATCH requests", "Access-Control-Allow-Methods omits PATCH", "add PATCH to the allowed CORS methods"],
  ["resize-cpu", "image resizer pegs the CPU", "sharp runs with unbounded concurrency per request", "cap sharp concurrency at 2 and queue resizes"],
  ["reset-bounce", "password reset emails bounce for Outlook", "the SPF record lacks the new mail provider", "add the provider include to the SPF TXT record"],
  ["cache-stampede", "homepage outage after a cache flush", "every request recomputes the feed when the key expires", "coalesce requests behind a single-flight lock"],
  ["push-missing", "Android push notifications missing", "the FCM token is not refreshed after an app update", "listen for onNewToken and register the device again"],
  ["search-typo", "search finds nothing for misspelled brands", "fuzziness is disabled in the Elasticsearch match query", "set fuzziness AUTO on the brand field"],
  ["partner-429", "partner API returns 429 during sync", "the sync client fires requests in parallel without backoff", "allow 5 concurrent requests and honour Retry-After"],
  ["pdf-glyphs", "PDF invoices show boxes instead of Japanese glyphs", "the container has no CJK fonts", "install fonts-noto-cjk in the image"],
  ["flag-delay", "feature flag changes take an hour to apply", "the SDK polls flags every 60 minutes", "switch the SDK to streaming updates"],
  ["test-isolation", "integration tests interfere with each other", "transactions are not rolled back between tests", "wrap each test in a transaction and roll it back"],
  ["cold-start", "lambda cold starts take 4 s", "the whole AWS SDK v2 bundle is imported", "import only the v3 S3 client and bundle with esbuild"],
  ["websocket-drop", "websocket connections drop every 60 s", "the load balancer idle timeout closes quiet sockets", "send a ping frame every 25 s"],
  ["polish-plurals", "Polish plural forms wrong in the cart", "messages use a two-form plural rule", "use Intl.PluralRules with the few and many categories"],
  ["agent-disk", "build agents run out of disk", "docker images and logs are never pruned", "add a daily docker system prune and logrotate"],
  ["oauth-skew", "OAuth tokens rejected as not yet valid", "the auth server clock runs 90 s ahead", "enable NTP sync and allow 60 s leeway on iat"],
  ["price-sort", "price sort puts 10 before 9", "prices are sorted as strings", "cast the price column to numeric before sorting"],
].map(([id, title, cause, fix]) => ({ id: id!, title: title!, cause: cause!, fix: fix! }));

/** Each agent words a finding its own way, as different models would. */
export const FINDING_STYLES: readonly ((problem: Problem) => string)[] = [
  (problem) => `${problem.title}: ${problem.cause}. Fix: ${problem.fix}.`,
  (problem) => `Root cause of ${problem.title}: ${problem.cause}; ${problem.fix} solves it.`,
  (problem) => `Found why ${problem.title} happens: ${problem.cause}. Workaround: ${problem.fix}.`,
  (problem) => `${problem.title} solved: ${problem.cause}, so ${problem.fix}.`,
];

/** Status chatter: says nothing another agent can reuse. */
export const CHATTER: readonly ((problem: Problem) => string)[] = [
  () => "on it",
  () => "looking now",
  () => "brb, coffee",
  () => "still digging…",
  () => "ok",
  () => "thanks!",
  () => "any update?",
  () => "almost there",
  (problem) => `picking up ${problem.title} now`,
  (problem) => `still on ${problem.title}, will report back`,
  (problem) => `${problem.title}: taking a look`,
];

/** Restatements of a finding already in the space: an agent echoing what it just reused. */
export const RESTATEMENTS: readonly ((problem: Problem, finding: string) => string)[] = [
  (_problem, finding) => `+1, same here: ${finding}`,
  (problem) => `Confirmed: ${problem.title}, ${problem.cause}.`,
  (problem) => `Can confirm that ${problem.fix} works for ${problem.title}.`,
];

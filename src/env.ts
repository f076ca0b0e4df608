import { z } from "zod";

/**
 * All configuration, validated once at start-up. Nothing else in the app reads process.env.
 * Demo secrets have development defaults; a production server refuses to start without real ones
 * (productionProblems, checked by the start-up hook: `next build` also runs with NODE_ENV=production).
 */
const DEV_SESSION_SECRET = "dev-only-session-secret-change-me-0123456789abcdef";
const DEV_ADMIN_PASSWORD = "admin";
const DEFAULT_LEASE_MS = 30_000;
const DEV_LEASE_MS = 5_000;

/** Where tests look for PostgreSQL when TEST_POSTGRES_URL is unset. */
export const DEFAULT_TEST_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test";

/** A yes/no switch: unset, empty, "0" and "false" mean no. */
const flag = z
  .string()
  .optional()
  .transform((value) => value !== undefined && value !== "" && value !== "0" && value !== "false");

const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: z
      .string()
      .default("file:./data/dev.db")
      .refine((url) => /^(file:|postgres(ql)?:\/\/)/.test(url), {
        message: "DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL)",
      }),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    SESSION_SECRET: z.string().min(32, "SESSION_SECRET must be at least 32 characters").default(DEV_SESSION_SECRET),
    ADMIN_PASSWORD: z.string().min(1).default(DEV_ADMIN_PASSWORD),
    /** Fault injection through X-Fault: on by default in `next dev`, off by default in production. */
    DEMO_FAULTS: z.enum(["on", "off"]).optional(),
    /** Unset: 30 s, but 5 s under `next dev`, so a crashed attempt in the demo resumes within seconds. */
    IDEMPOTENCY_LEASE_MS: z.coerce.number().int().positive().optional(),
    IDEMPOTENCY_TTL_MS: ms(24 * 60 * 60 * 1000),
    DUPLICATE_WINDOW_MS: ms(10 * 60 * 1000),
    /** Simulated payment provider round trip. */
    PROVIDER_LATENCY_MS: z.coerce.number().int().min(0).max(10_000).default(0),
    /** How often the recovery worker and the TTL sweep look for work; 0 disables the in-process worker. */
    RECOVERY_INTERVAL_MS: z.coerce.number().int().min(0).default(5_000),
    /** How often the in-process job worker looks for due jobs; 0 disables it (run `npm run worker` instead). */
    JOBS_INTERVAL_MS: z.coerce.number().int().min(0).default(1_000),
    /** Visibility timeout of a claimed job: after it, a silent worker's delivery is given to another. */
    JOB_LEASE_MS: ms(30_000),
    /** Deliveries a job gets before it is dead-lettered. */
    JOB_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
    /** Simulated model API: random latency up to this many ms per call. */
    MODEL_LATENCY_MS: z.coerce.number().int().min(0).max(10_000).default(150),
    /** Session cookie Secure flag: on by default in production; "off" is a logged opt-out for plain-http demos. */
    COOKIE_SECURE: z.enum(["on", "off"]).optional(),
    /**
     * SQLite: how long, in all, a statement or a transaction's start waits for the lock held by another process
     * before failing (503). Waited asynchronously, between attempts: the event loop goes on serving.
     */
    DB_BUSY_TIMEOUT_MS: ms(10_000),
    /** PostgreSQL lock_timeout of the app's connections: a statement waiting longer for a lock fails (503). */
    DB_LOCK_TIMEOUT_MS: ms(10_000),
    /** PostgreSQL statement_timeout of the app's connections. */
    DB_STATEMENT_TIMEOUT_MS: ms(30_000),
    /** Failed resumptions (non-transient) after which an idempotency record is abandoned as poison. */
    RECOVERY_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
    /**
     * Request events (all but a first execution's, which commits with its result) are written in batches:
     * at most this long after the request, or at EVENT_BATCH_MAX rows. A kill -9 loses at most this window's
     * events (docs/protocol.md section 9); never an order, payment or charge.
     */
    EVENT_FLUSH_MS: z.coerce.number().int().min(0).max(10_000).default(50),
    /** Rows per batched event insert; a full batch is flushed at once. */
    EVENT_BATCH_MAX: z.coerce.number().int().min(1).max(10_000).default(500),
    /** Client reports (events.reportClient) a session may send per minute, per instance; beyond it 429. */
    CLIENT_REPORTS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
    /**
     * Days of request events, finished jobs, inbox rows and simulator ledgers kept; the worker deletes
     * older rows. At least 2, so the dashboard's largest window (1 day) stays whole.
     */
    RETENTION_DAYS: z.coerce.number().int().min(2).max(3650).default(14),
    /** Rows the retention sweep deletes per statement (short statements, short locks). */
    RETENTION_BATCH: z.coerce.number().int().min(1).max(100_000).default(1_000),
    /**
     * Tests, benchmarks and the cluster demo: a PostgreSQL server where each run creates (and drops) its own
     * databases. Unset: DEFAULT_TEST_POSTGRES_URL if a server answers there, else an embedded server.
     */
    TEST_POSTGRES_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "TEST_POSTGRES_URL must start with postgresql://")
      .optional(),
    /** `embedded` starts a throwaway PostgreSQL from npm packages even when a server is configured or answers. */
    TEST_POSTGRES: z.enum(["auto", "embedded"]).default("auto"),
    /** Browser specs and screenshots: the port of the app they start. */
    E2E_PORT: z.coerce.number().int().min(1).max(65535).default(3210),
    /** Browser specs: the app's SQLite database, which the specs also read back. */
    E2E_DATABASE_URL: z
      .string()
      .regex(/^file:/, "E2E_DATABASE_URL must be a file: (SQLite) URL")
      .default("file:./data/e2e.db"),
    /** A Chromium to drive instead of Debian's /usr/bin/chromium (when present) or Playwright's own. */
    CHROMIUM_PATH: z.string().min(1).optional(),
    /** Property tests (random-input): fast-check runs per property. */
    PROPERTY_RUNS: z.coerce.number().int().min(1).max(100_000).default(150),
    /** Property tests: replay a failure with the seed fast-check printed; unset (or empty): a random seed. */
    PROPERTY_SEED: z.preprocess(
      (value) => (value === "" ? undefined : value),
      z.coerce.number().int().min(-2_147_483_648).max(2_147_483_647).optional(),
    ),
    /** Chaos and production tests, `npm run bench`: the build they start (built there if missing). */
    BENCH_DIST_DIR: z.string().min(1).default(".next-bench"),
    /** Chaos and production tests, `npm run bench`: rebuild BENCH_DIST_DIR first. Only "1" means yes. */
    BENCH_REBUILD: z
      .string()
      .optional()
      .transform((value) => value === "1"),
    /** Production tests: first port of the `next start` processes they start. */
    PRODUCTION_TEST_PORT: z.coerce.number().int().min(1).max(65535).default(3414),
    /** Kill -9 chaos test: intents of the storm. */
    CHAOS_INTENTS: z.coerce.number().int().min(1).max(1_000_000).default(150),
    /** Kill -9 chaos test: SIGKILLs per storm. */
    CHAOS_KILLS: z.coerce.number().int().min(1).max(1_000).default(3),
    /** Kill -9 chaos test: copies sent of each intent. */
    CHAOS_COPIES: z.coerce.number().int().min(1).max(100).default(3),
    /** Kill -9 chaos test: client connections per instance. */
    CHAOS_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(16),
    /** Kill -9 chaos test: instances listen on this port and up (PostgreSQL run), and from it + 4 (SQLite run). */
    CHAOS_FIRST_PORT: z.coerce.number().int().min(1).max(65535).default(3451),
    /** `npm run bench` defaults of its flags (a flag given on the command line wins); see bench/run/cli.ts. */
    BENCH_INTENTS: z.coerce.number().int().min(1).max(1_000_000).default(2000),
    BENCH_COPIES: z.coerce.number().int().min(1).max(100).default(5),
    BENCH_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(64),
    BENCH_FAULT_SHARE: z.coerce.number().min(0).max(1).default(0.1),
    BENCH_DECLINED_SHARE: z.coerce.number().min(0).max(1).default(0.05),
    BENCH_FIRST_EXEC: z.coerce.number().int().min(2).max(1_000_000).default(1000),
    BENCH_LATENCY_SAMPLES: z.coerce.number().int().min(1).max(100_000).default(300),
    /** Unset: the retrying client's own default (bench/lib/retrying-client.ts). */
    BENCH_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1_000).optional(),
    BENCH_MAX_STORM_SECONDS: z.coerce.number().int().min(10).max(86_400).default(600),
    BENCH_ONLY: z.enum(["all", "sqlite", "postgres"]).default("all"),
    BENCH_FIRST_PORT: z.coerce.number().int().min(1024).max(65535).default(3401),
    /** Set by CI services: Playwright then refuses test.only. */
    CI: flag,
    /** Migration tool: server of the PostgreSQL shadow database when DATABASE_URL is SQLite (default: the tests'). */
    MIGRATE_POSTGRES_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "MIGRATE_POSTGRES_URL must start with postgresql://")
      .optional(),
    /** Migration tool: work on the prisma/ folder of another checkout (e.g. a copy of the schemas). */
    MIGRATE_PROJECT_ROOT: z.string().min(1).optional(),
    /** Migration tool: print the schema engine's log and stack traces. */
    MIGRATE_DEBUG: flag,
    /** libpq's default user, for PostgreSQL URLs without one. */
    PGUSER: z.string().min(1).optional(),
    /** Bearer token for /api/metrics; unset means open. */
    METRICS_TOKEN: z.string().min(1).optional(),
    /** Admin dashboard alert: share of keyed requests that were duplicates (0..1) above which it warns. */
    ADMIN_ALERT_DUPLICATE_RATE: z.coerce.number().min(0).max(1).default(0.5),
    /** Admin dashboard alert: in-flight conflicts in any one minute above which it warns. */
    ADMIN_ALERT_CONFLICTS_PER_MINUTE: z.coerce.number().int().min(0).default(20),
  })
  .transform((env) => ({
    ...env,
    DEMO_FAULTS: env.DEMO_FAULTS ?? (env.NODE_ENV === "development" ? "on" : "off"),
    IDEMPOTENCY_LEASE_MS:
      env.IDEMPOTENCY_LEASE_MS ?? (env.NODE_ENV === "development" ? DEV_LEASE_MS : DEFAULT_LEASE_MS),
    usesDevSecrets: env.SESSION_SECRET === DEV_SESSION_SECRET || env.ADMIN_PASSWORD === DEV_ADMIN_PASSWORD,
    cookieSecure: (env.COOKIE_SECURE ?? (env.NODE_ENV === "production" ? "on" : "off")) === "on",
  }));

export type Env = z.infer<typeof schema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

/**
 * What a production server must not start with: secrets left at (or missing, hence at) their development
 * defaults, which are in the repository. Each line names the variable and how to set it.
 */
export function productionProblems(e: Env): string[] {
  if (e.NODE_ENV !== "production") return [];
  const problems: string[] = [];
  if (e.SESSION_SECRET === DEV_SESSION_SECRET) {
    problems.push(
      "SESSION_SECRET is missing or the development default: set it to a random secret of at least 32 characters, e.g. SESSION_SECRET=$(openssl rand -hex 32)",
    );
  }
  if (e.ADMIN_PASSWORD === DEV_ADMIN_PASSWORD) {
    problems.push("ADMIN_PASSWORD is missing or the development default: set ADMIN_PASSWORD to a password of your own");
  }
  return problems;
}

export const env: Env = parseEnv(process.env);

export const isPostgres = (url: string = env.DATABASE_URL): boolean => /^postgres(ql)?:\/\//.test(url);

#!/usr/bin/env node
// Generates both Prisma clients (src/generated/sqlite and src/generated/postgresql) without any network.
// Runs as `postinstall` and `npm run db:generate`.
//
// The Prisma CLI insists on a native schema engine, which it would download from Prisma's CDN. `prisma
// generate` never uses it, so PRISMA_SCHEMA_ENGINE_BINARY points at a
// stub shipped in the repo. Migrations go through scripts/migrate.ts (Wasm schema engine) instead.
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SCHEMAS = [
  { name: "sqlite", schema: "prisma/schema.prisma" },
  { name: "postgresql", schema: "prisma/postgresql/schema.prisma" },
];

function engineStub() {
  const shipped = path.join(ROOT, "scripts", "prisma-engine-stub.sh");
  if (existsSync(shipped)) {
    try {
      chmodSync(shipped, 0o755); // git may lose the mode on some checkouts
    } catch {}
    return shipped;
  }
  // Fallback: the CLI only checks that the file exists.
  const dir = mkdtempSync(path.join(tmpdir(), "prisma-engine-stub-"));
  const file = path.join(dir, "schema-engine");
  writeFileSync(file, "#!/bin/sh\necho 'native schema engine not available' >&2\nexit 1\n", { mode: 0o755 });
  return file;
}

function resolvePrismaCli() {
  try {
    const require = createRequire(path.join(ROOT, "package.json"));
    return path.join(path.dirname(require.resolve("prisma/package.json")), "build", "index.js");
  } catch {
    return null;
  }
}

const cli = resolvePrismaCli();
if (!cli || !existsSync(cli)) {
  // e.g. `npm ci --omit=dev`: the CLI is a dev dependency. Don't fail the install for that.
  console.warn("prisma-generate: the prisma CLI is not installed; skipping client generation");
  process.exit(0);
}

// Plain ESM run by npm before any TypeScript tooling (postinstall), so it cannot use src/env.ts: it passes
// the environment through to the Prisma CLI, with Prisma's own variables set.
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || engineStub(),
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  PRISMA_HIDE_PREVIEW_FLAG_WARNINGS: "1",
  PRISMA_GENERATE_NO_HINTS: "1",
  PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: "1",
  PRISMA_SKIP_POSTINSTALL_GENERATE: "1",
  CHECKPOINT_DISABLE: "1",
  PRISMA_TELEMETRY_INFORMATION: "",
  NO_UPDATE_NOTIFIER: "1",
};

function generate({ name, schema }) {
  if (!existsSync(path.join(ROOT, schema))) {
    return Promise.resolve({
      name,
      code: 1,
      output: `${schema} is missing (run \`npm run db:derive\`)\n`,
    });
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, "generate", "--schema", schema], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("error", (err) => {
      clearTimeout(timer);
      resolve({ name, code: 1, output: `${output}${err.message}\n` });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({
        name,
        code: code ?? 1,
        output: signal ? `${output}killed by ${signal}\n` : output,
      });
    });
  });
}

const results = await Promise.all(SCHEMAS.map(generate));
let failed = false;
for (const r of results) {
  if (r.code === 0) {
    console.log(`prisma-generate: ${r.name} client -> src/generated/${r.name}`);
  } else {
    failed = true;
    console.error(`prisma-generate: generating the ${r.name} client failed:\n${r.output}`);
  }
}
process.exit(failed ? 1 : 0);

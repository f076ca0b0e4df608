// Prisma 7 CLI configuration. The datasource provider cannot come from an env var, so the project keeps two
// schemas: prisma/schema.prisma (SQLite, the source of truth) and prisma/postgresql/schema.prisma (derived by
// scripts/derive-schema.ts). DATABASE_URL picks which one the CLI works on.
//
// The project never downloads the CLI's native schema engine: generate clients with `npm run db:generate` and
// migrate with `npm run db:migrate` (Prisma's Wasm schema engine). Where the native engine is installed, the
// standard `prisma migrate deploy` reads the same schemas and migration folders.
import { defineConfig } from "prisma/config";
import { env, isPostgres as isPostgresUrl } from "./src/env";

const url = env.DATABASE_URL;
const isPostgres = isPostgresUrl(url);

export default defineConfig({
  schema: isPostgres ? "prisma/postgresql/schema.prisma" : "prisma/schema.prisma",
  migrations: {
    path: isPostgres ? "prisma/postgresql/migrations" : "prisma/migrations",
  },
  datasource: { url },
});

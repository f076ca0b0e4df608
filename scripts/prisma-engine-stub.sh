#!/bin/sh
# Stand-in for Prisma's native schema engine, which cannot be downloaded on this project's offline
# machines. The Prisma CLI only checks that PRISMA_SCHEMA_ENGINE_BINARY points at an existing file for
# `prisma generate` / `validate` / `format`; migrations go through scripts/migrate.ts (Wasm engine).
echo "prisma-engine-stub: the native schema engine is not available here; use npm run db:migrate" >&2
exit 1

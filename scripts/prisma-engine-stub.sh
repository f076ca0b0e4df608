#!/bin/sh
# Stand-in for Prisma's native schema engine, which the project never downloads (migrations use the Wasm
# engine). The Prisma CLI only checks that PRISMA_SCHEMA_ENGINE_BINARY points at an existing file for
# `prisma generate` / `validate` / `format`; migrations go through scripts/migrate.ts (Wasm engine).
echo "prisma-engine-stub: this project does not use the native schema engine; use npm run db:migrate" >&2
exit 1

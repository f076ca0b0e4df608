/**
 * Derives prisma/postgresql/schema.prisma from prisma/schema.prisma (the single source of truth).
 *
 *   tsx scripts/derive-schema.ts           write the derived schema
 *   tsx scripts/derive-schema.ts --check   exit 1 when the committed derived schema is stale
 *
 * The transformation is purely mechanical: the datasource provider becomes "postgresql" and the
 * `prisma-client` generator's output moves to ../../src/generated/postgresql (the derived file lives one
 * directory deeper). Everything else (models, enums, comments) is copied verbatim.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { env } from "../src/env";

// The repository this script belongs to; MIGRATE_PROJECT_ROOT overrides it (as for scripts/migrate.ts).
const ROOT = env.MIGRATE_PROJECT_ROOT
  ? path.resolve(env.MIGRATE_PROJECT_ROOT)
  : path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SOURCE_SCHEMA = path.join(ROOT, "prisma", "schema.prisma");
export const DERIVED_SCHEMA = path.join(ROOT, "prisma", "postgresql", "schema.prisma");

const HEADER = [
  "// GENERATED FILE - DO NOT EDIT.",
  "// Derived from prisma/schema.prisma (the single source of truth) by scripts/derive-schema.ts:",
  "// regenerate with `npm run db:derive`; `npm run check:drift` fails when this file is stale.",
  "",
].join("\n");

type Block = {
  kind: string;
  name: string;
  start: number;
  end: number;
  body: string;
};

function findBlocks(text: string, kind: string): Block[] {
  const re = new RegExp(`^${kind}\\s+(\\w+)\\s*\\{[^]*?^\\}`, "gm");
  const blocks: Block[] = [];
  for (const m of text.matchAll(re)) {
    blocks.push({
      kind,
      name: m[1] ?? "",
      start: m.index ?? 0,
      end: (m.index ?? 0) + m[0].length,
      body: m[0],
    });
  }
  return blocks;
}

function replaceSetting(block: Block, key: string, value: string): string {
  const re = new RegExp(`^(\\s*${key}\\s*=\\s*)"[^"]*"`, "m");
  if (!re.test(block.body)) {
    throw new Error(`derive-schema: ${block.kind} ${block.name} in prisma/schema.prisma has no ${key} = "..." line`);
  }
  return block.body.replace(re, `$1"${value}"`);
}

export function deriveSchema(source: string): string {
  let text = source.replace(/\r\n/g, "\n");

  const datasources = findBlocks(text, "datasource");
  if (datasources.length !== 1) {
    throw new Error(`derive-schema: expected exactly one datasource block, found ${datasources.length}`);
  }
  const ds = datasources[0] as Block;
  if (!/^\s*provider\s*=\s*"sqlite"/m.test(ds.body)) {
    throw new Error('derive-schema: the source datasource must have provider = "sqlite"');
  }
  const generators = findBlocks(text, "generator").filter((g) => /provider\s*=\s*"prisma-client"/.test(g.body));
  if (generators.length !== 1) {
    throw new Error(
      `derive-schema: expected exactly one generator with provider "prisma-client", found ${generators.length}`,
    );
  }
  const gen = generators[0] as Block;

  // Replace from the end so earlier offsets stay valid.
  const edits = [
    { block: ds, body: replaceSetting(ds, "provider", "postgresql") },
    {
      block: gen,
      body: replaceSetting(gen, "output", "../../src/generated/postgresql"),
    },
  ].sort((a, b) => b.block.start - a.block.start);
  for (const { block, body } of edits) {
    text = text.slice(0, block.start) + body + text.slice(block.end);
  }

  // Drop the source's leading comment block (it describes the source file) and put the generated header first.
  text = text.replace(/^(?:\/\/[^\n]*\n|[ \t]*\n)*/, "");
  return `${HEADER}\n${text.endsWith("\n") ? text : `${text}\n`}`;
}

function main(): number {
  const check = process.argv.includes("--check");
  const expected = deriveSchema(readFileSync(SOURCE_SCHEMA, "utf8"));
  const rel = path.relative(ROOT, DERIVED_SCHEMA);
  if (check) {
    const actual = existsSync(DERIVED_SCHEMA) ? readFileSync(DERIVED_SCHEMA, "utf8") : null;
    if (actual === expected) {
      console.log(`derive-schema: ${rel} is up to date with prisma/schema.prisma`);
      return 0;
    }
    if (actual === null) {
      console.error(`derive-schema: ${rel} is missing. Run \`npm run db:derive\` and commit it.`);
      return 1;
    }
    const a = actual.split("\n");
    const e = expected.split("\n");
    let line = 0;
    while (line < Math.max(a.length, e.length) && a[line] === e[line]) line++;
    console.error(
      `derive-schema: ${rel} differs from what prisma/schema.prisma derives (first difference at line ${line + 1}):\n` +
        `  committed: ${JSON.stringify(a[line] ?? "<end of file>")}\n` +
        `  expected:  ${JSON.stringify(e[line] ?? "<end of file>")}\n` +
        "Edit prisma/schema.prisma only, then run `npm run db:derive` and commit the result.",
    );
    return 1;
  }
  mkdirSync(path.dirname(DERIVED_SCHEMA), { recursive: true });
  const current = existsSync(DERIVED_SCHEMA) ? readFileSync(DERIVED_SCHEMA, "utf8") : null;
  if (current === expected) {
    console.log(`derive-schema: ${rel} already up to date`);
  } else {
    writeFileSync(DERIVED_SCHEMA, expected);
    console.log(`derive-schema: wrote ${rel}`);
  }
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(main());
}

/**
 * Self time of a V8 .cpuprofile (node --cpu-prof) by category. Each sample's frame is placed by where its
 * function comes from: the original module (through the built chunk's source map, so bundled code is told
 * apart), else the script's url, else, for native frames without one, the nearest caller that has one.
 */
import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
export type CpuProfile = {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
};

const ADAPTER = "Prisma driver adapter (on SQLite incl. better-sqlite3's native execution and commits)";
const NATIVE_UNDER_ADAPTER = "SQL driver (better-sqlite3 / pg)";

/** First match wins: tested against "<source or url> <function name>". */
const CATEGORIES: [string, RegExp][] = [
  ["idle (waiting for I/O)", /^ \(idle\)$/],
  ["GC", /^ \(garbage collector\)$/],
  ["V8/native, unattributed ((program))", /^ \(program\)$/],
  ["Prisma query compiler (wasm)", /^wasm:\/\/|query_compiler/],
  ["Prisma client runtime (query plan interpretation, result mapping)", /@prisma\/client|src\/generated\//],
  // better-sqlite3's native calls (statement execution, commits) run synchronously inside the adapter's
  // frames: on SQLite this line holds the SQL execution itself.
  [ADAPTER, /@prisma\/(adapter-|driver-adapter)/],
  [NATIVE_UNDER_ADAPTER, /better-sqlite3|\/pg(-[a-z]+)?\/|postgres-/],
  ["zod", /\/zod\//],
  ["tRPC", /@trpc\//],
  ["session cookie and hashing (iron-session, node:crypto)", /iron-session|iron-webcrypto|uncrypto|\/cookie\/|crypto/],
  ["JSON (parse / stringify)", /^ (parse|stringify)$|^JSON\./],
  ["Next.js / React framework", /\/next\/|react-dom|\/react\/|turbopack/],
  ["Node core (http, streams, timers, module loading)", /^node:|^internal\//],
  ["other dependencies", /node_modules/],
  ["our code (src/)", /(^|\/)src\//],
];

const categoryOf = (where: string, fn: string): string =>
  CATEGORIES.find(([, re]) => re.test(`${where} ${fn}`) || re.test(where))?.[0] ?? `unclassified`;

/** Maps generated positions to original sources, one parsed map per chunk file (null when it has none). */
function sourceMapper(): (frame: CallFrame) => string {
  const maps = new Map<string, SourceMap | null>();
  return (frame) => {
    if (!frame.url.startsWith("file://")) return frame.url;
    const file = fileURLToPath(frame.url);
    let map = maps.get(file);
    if (map === undefined) {
      map = existsSync(`${file}.map`) ? new SourceMap(JSON.parse(readFileSync(`${file}.map`, "utf8"))) : null;
      maps.set(file, map);
    }
    const entry = map?.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string } | undefined;
    const source = entry?.originalSource ? decodeURIComponent(entry.originalSource) : null;
    if (!source) return file;
    // Sources are relative to the map (a chunk's map names ../../../node_modules/..., a package's its own tree).
    return /^[a-z]+:/.test(source) ? source : path.resolve(path.dirname(file), source);
  };
}

export type ProfileSummary = {
  /** Sampled time inside the window, in ms. */
  totalMs: number;
  categories: { name: string; ms: number; share: number }[];
  /** The functions with the most self time: name, where it comes from, its category. */
  top: { fn: string; where: string; category: string; ms: number; share: number }[];
};

/**
 * Self time by category of the samples between window.fromEndMs + window.lengthMs and window.fromEndMs
 * before the profile's end (default: the whole profile).
 */
export function summarizeProfile(
  profile: CpuProfile,
  window: { lengthMs?: number; fromEndMs?: number } = {},
  topN = 15,
): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const where = sourceMapper();
  const placed = new Map<number, { where: string; category: string }>();
  const place = (id: number): { where: string; category: string } => {
    const known = placed.get(id);
    if (known) return known;
    const frame = byId.get(id)?.callFrame ?? { functionName: "", url: "", lineNumber: 0, columnNumber: 0 };
    let result: { where: string; category: string };
    const special = /^\((idle|garbage collector|program|root)\)$/.test(frame.functionName);
    if (frame.url || special) {
      const source = frame.url ? where(frame) : "";
      result = { where: source, category: categoryOf(source, frame.functionName) };
    } else {
      // A native frame (builtin or C++ binding): JSON by name, else its nearest caller with a url decides.
      const own = categoryOf("", frame.functionName);
      const up = parent.get(id);
      const caller = up === undefined ? { where: "", category: own } : place(up);
      const category =
        own !== "unclassified" ? own : caller.category === ADAPTER ? NATIVE_UNDER_ADAPTER : caller.category;
      result = { where: `native, under ${caller.where}`, category };
    }
    placed.set(id, result);
    return result;
  };

  const end = profile.endTime - (window.fromEndMs ?? 0) * 1000;
  const start = window.lengthMs === undefined ? profile.startTime : end - window.lengthMs * 1000;
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < start || at > end) continue;
    const id = profile.samples[i] ?? 0;
    // A sample stands for the time until the next one.
    const us = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + us);
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const categoryUs = new Map<string, number>();
  const functionUs = new Map<string, { fn: string; where: string; category: string; us: number }>();
  for (const [id, us] of selfUs) {
    const { where: source, category } = place(id);
    const fn = byId.get(id)?.callFrame.functionName || "(anonymous)";
    categoryUs.set(category, (categoryUs.get(category) ?? 0) + us);
    const key = `${fn}@${source}`;
    const entry = functionUs.get(key) ?? { fn, where: source, category, us: 0 };
    entry.us += us;
    functionUs.set(key, entry);
  }
  const share = (us: number) => (total > 0 ? us / total : 0);
  return {
    totalMs: total / 1000,
    categories: [...categoryUs]
      .map(([name, us]) => ({ name, ms: us / 1000, share: share(us) }))
      .sort((a, b) => b.ms - a.ms),
    top: [...functionUs.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, topN)
      .map((f) => ({ fn: f.fn, where: f.where, category: f.category, ms: f.us / 1000, share: share(f.us) })),
  };
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Lets two builds live side by side (e.g. the e2e build and a benchmark build); default .next.
  // The one variable read outside src/env.ts, on purpose: this file is loaded by the Next CLI before any
  // app module, as plain ESM (src/env.ts is TypeScript, and importing it here would also make every other
  // variable's validation a condition of loading the config, for `next build` too). An unset or empty value
  // means .next; any other value is only ever a directory name passed by our own scripts.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // `next dev` serves its dev resources (HMR, chunks) to localhost only; the demo is often opened at
  // http://127.0.0.1:3000, which would then never hydrate (forms submit as plain GETs).
  allowedDevOrigins: ["127.0.0.1"],
  // forbidden() in /admin: a shopper gets the friendly page with a real HTTP 403, not a 200.
  experimental: { authInterrupts: true },
  // Native and server-only packages stay outside the bundle; Node loads them at run time.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "pg"],
};

export default nextConfig;

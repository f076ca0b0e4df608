/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Lets two builds live side by side (e.g. the e2e build and a benchmark build); default .next.
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

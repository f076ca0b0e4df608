/** Where sign-in goes when there is no (valid) page to return to. */
export const HOME = "/";
const ORIGIN = "http://return-to.invalid";

/**
 * The page to return to after sign-in, from an untrusted `next` parameter: only a path on this site
 * ("/orders/abc?x=1"), never another origin ("//evil.example", "https://evil.example", "/\\evil.example"),
 * a script URL or the sign-in page itself. Anything else gives null.
 */
export function safeReturnPath(next: unknown): string | null {
  if (typeof next !== "string" || next.length > 2_000) return null;
  // Browsers treat "\" like "/" and drop tabs and newlines, so "/\evil" and "/\t/evil" are other origins too.
  if (!next.startsWith("/") || /[\\\p{Cc}]/u.test(next)) return null;
  let url: URL;
  try {
    url = new URL(next, ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== ORIGIN || url.pathname === "/signin") return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page's address, remembering the page that asked for it. */
export const signInHref = (from: string | null | undefined): string => {
  const back = safeReturnPath(from);
  return back && back !== HOME ? `/signin?next=${encodeURIComponent(back)}` : "/signin";
};

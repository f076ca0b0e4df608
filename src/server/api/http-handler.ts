import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { Services } from "@/server/services";
import { createContext } from "./context";
import { appRouter } from "./root";
import { reasonOf } from "./trpc";

/** Request bodies above this are refused before parsing (413), so nothing is written for them. */
const MAX_BODY_BYTES = 64 * 1024;

const tooLarge = () =>
  Response.json(
    {
      error: {
        message: `request body exceeds ${MAX_BODY_BYTES} bytes`,
        data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413, reason: "PAYLOAD_TOO_LARGE" },
      },
    },
    { status: 413 },
  );

/** How long a refused body is still read (and thrown away) so the client gets to read the 413. */
const LINGER_MS = 10_000;

/**
 * After a refusal the rest of the body is read and dropped, chunk by chunk (nothing is kept), for at most
 * LINGER_MS: hanging up at once would reset a connection whose client is still sending, and a reset can
 * destroy the 413 in the client's receive buffer before it reads it. Then the upload is cancelled.
 */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  const until = Date.now() + LINGER_MS;
  try {
    while (Date.now() < until) {
      const { done } = await reader.read();
      if (done) return;
    }
    await reader.cancel("request body too large");
  } catch {
    // the client went away
  }
}

/**
 * Reads a request body while counting it: stops keeping it as soon as it passes `max`, chunked or not,
 * so at most `max` bytes are ever held. Null means too large.
 */
async function readBodyWithin(req: Request, max: number): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      void discardRest(reader);
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * tRPC over the Fetch API: the Next.js route handler and the test/bench servers both serve this, so
 * what the tests exercise over HTTP is exactly what the app serves.
 */
export async function handleTrpcRequest(req: Request, services?: Services): Promise<Response> {
  let request = req;
  if (req.method === "POST") {
    const declared = Number(req.headers.get("content-length") ?? "0");
    if (declared > MAX_BODY_BYTES) return tooLarge();
    // A chunked body declares no length: it is counted while it streams in.
    const body = await readBodyWithin(req, MAX_BODY_BYTES);
    if (body === null) return tooLarge();
    request = new Request(req.url, { method: "POST", headers: req.headers, body });
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: ({ resHeaders, info }) =>
      createContext({ headers: request.headers, resHeaders, services, batched: info.isBatchCall }),
    responseMeta: ({ ctx, errors, paths }) => {
      // Per-call statuses hold only for non-batched calls (keyed mutations travel alone).
      if (errors.length > 0 || !ctx || (paths?.length ?? 0) !== 1) return {};
      return ctx.response.status ? { status: ctx.response.status } : {};
    },
    onError: ({ error, path }) => {
      // A replayed RECOVERY_ABANDONED is a stored answer, not a new failure: only unexplained errors are logged.
      if (reasonOf(error) === "INTERNAL") console.error(`[trpc] ${path ?? "?"}:`, error.cause ?? error);
    },
  });
}

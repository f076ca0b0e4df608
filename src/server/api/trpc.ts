import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { DomainError, isDomainError, type Reason, reasons, retryAfterSeconds } from "@/server/errors";
import { isTransient } from "@/server/idempotency/transient";
import type { Context } from "./context";

/** How long a client should wait after a transient database failure before retrying with the same key. */
const TRANSIENT_RETRY_AFTER_MS = 1_000;

/**
 * The DomainError behind a tRPC error, if any. A transient database failure thrown anywhere (record
 * lookup or insert, a phase, the cleanup after a refusal) is the domain's TRANSIENT_FAILURE: 503 with
 * Retry-After, never 500. Whatever wrote it left the record consistent: the insert never committed,
 * or the owner released its lease (or, if even that failed, the lease expires).
 */
export const domainErrorOf = (error: unknown): DomainError | null => {
  const cause = error instanceof TRPCError ? error.cause : error;
  if (isDomainError(cause)) return cause;
  if (isTransient(cause)) {
    return new DomainError("TRANSIENT_FAILURE", "a temporary database failure interrupted the request; retry", {
      retryAfterMs: TRANSIENT_RETRY_AFTER_MS,
      cause,
    });
  }
  return null;
};

const defaultReason: Partial<Record<TRPCError["code"], Reason>> = {
  BAD_REQUEST: "INVALID_INPUT",
  PARSE_ERROR: "INVALID_INPUT",
  UNAUTHORIZED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  METHOD_NOT_SUPPORTED: "METHOD_NOT_SUPPORTED",
  TOO_MANY_REQUESTS: "RATE_LIMITED",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
};

/** Every error carries a machine-readable data.reason. */
export const reasonOf = (error: TRPCError): Reason =>
  domainErrorOf(error)?.reason ?? defaultReason[error.code] ?? "INTERNAL";

/**
 * Refused input, for people and for forms: one sentence per problem ("name: Enter a shopper name."), and
 * the same messages per field so a form can show each next to its input.
 */
const inputProblems = (error: ZodError) => {
  const fieldErrors: Record<string, string[]> = {};
  const formErrors: string[] = [];
  for (const issue of error.issues) {
    const field = issue.path.map(String).join(".");
    if (field) fieldErrors[field] = [...(fieldErrors[field] ?? []), issue.message];
    else formErrors.push(issue.message);
  }
  const message = error.issues
    .map((issue) => (issue.path.length ? `${issue.path.map(String).join(".")}: ${issue.message}` : issue.message))
    .join("; ");
  return { message, fieldErrors, formErrors };
};

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const domain = domainErrorOf(error);
    const zod = error.cause instanceof ZodError ? inputProblems(error.cause) : null;
    return {
      ...shape,
      message: zod ? zod.message : shape.message,
      data: {
        ...shape.data,
        stack: undefined,
        reason: reasonOf(error),
        retryable: reasons[reasonOf(error)].retryable,
        ...(domain?.retryAfterMs !== undefined ? { retryAfterMs: domain.retryAfterMs } : {}),
        ...(domain?.details ?? {}),
        ...(zod ? { fieldErrors: zod.fieldErrors, formErrors: zod.formErrors } : {}),
      },
    };
  },
});

export const router = t.router;
export const middleware = t.middleware;

/**
 * Maps DomainErrors to tRPC errors through the one table in errors.ts, and sets Retry-After.
 * Applied to every procedure, so services throw DomainErrors and never think about HTTP.
 */
const domainErrors = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  if (result.ok) return result;
  const domain = domainErrorOf(result.error);
  if (!domain) return result;
  if (domain.retryAfterMs !== undefined) ctx.resHeaders.set("Retry-After", retryAfterSeconds(domain.retryAfterMs));
  if (result.error.code === reasons[domain.reason].code) return result;
  throw new TRPCError({ code: reasons[domain.reason].code, message: domain.message, cause: domain });
});

export const baseProcedure = t.procedure.use(domainErrors);
export { DomainError };

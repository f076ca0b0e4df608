import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

/** What each procedure answers, inferred from the router (types only: no server code reaches the browser). */
export type RouterOutputs = inferRouterOutputs<AppRouter>;

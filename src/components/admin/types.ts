import type { inferRouterOutputs } from "@trpc/server";
import type { StatsWindow } from "@/server/admin/window";
import type { AppRouter } from "@/server/api/root";

type Out = inferRouterOutputs<AppRouter>["admin"];

export type { StatsWindow };
export type Stats = Out["stats"];
export type Timeline = Out["timeline"];
export type Retries = Out["retries"];
export type Latency = Out["latency"];
export type Intent = Out["intents"][number];
export type Audit = Out["audit"];
export type ThresholdOverride = { duplicateRate: number; conflictsPerMinute: number };

import { z } from "zod";
import { env } from "@/env";

export type Thresholds = { duplicateRate: number; conflictsPerMinute: number };

/** The dashboard may override the configured thresholds for its own view; nothing is persisted. */
export const thresholdsInput = z
  .strictObject({
    duplicateRate: z.number().min(0).max(1).optional(),
    conflictsPerMinute: z.number().int().min(0).max(1_000_000).optional(),
  })
  .optional();

const defaultThresholds = (): Thresholds => ({
  duplicateRate: env.ADMIN_ALERT_DUPLICATE_RATE,
  conflictsPerMinute: env.ADMIN_ALERT_CONFLICTS_PER_MINUTE,
});

export const resolveThresholds = (
  override: z.infer<typeof thresholdsInput>,
  defaults: Thresholds = defaultThresholds(),
): Thresholds => ({
  duplicateRate: override?.duplicateRate ?? defaults.duplicateRate,
  conflictsPerMinute: override?.conflictsPerMinute ?? defaults.conflictsPerMinute,
});

export type Alert = {
  kind: "DUPLICATE_RATE" | "CONFLICTS_PER_MINUTE";
  value: number;
  threshold: number;
  message: string;
};

export function alertsFor(figures: { duplicateRate: number; peakConflictsPerMinute: number }, t: Thresholds): Alert[] {
  const alerts: Alert[] = [];
  if (figures.duplicateRate > t.duplicateRate) {
    alerts.push({
      kind: "DUPLICATE_RATE",
      value: figures.duplicateRate,
      threshold: t.duplicateRate,
      message: `Duplicate rate ${(figures.duplicateRate * 100).toFixed(1)}% is above ${(t.duplicateRate * 100).toFixed(1)}%`,
    });
  }
  if (figures.peakConflictsPerMinute > t.conflictsPerMinute) {
    alerts.push({
      kind: "CONFLICTS_PER_MINUTE",
      value: figures.peakConflictsPerMinute,
      threshold: t.conflictsPerMinute,
      message: `${figures.peakConflictsPerMinute} in-flight conflicts in one minute (threshold ${t.conflictsPerMinute})`,
    });
  }
  return alerts;
}

/** What the bench measures, per topology: the shape of the report and of bench/results/<time>.json. */

import type { Kind } from "../lib/databases";
import type { Audit } from "../lib/http";
import type { LatencySummary } from "../lib/stats";
import type { StormSummary } from "../lib/storm";

export type StormRow = {
  summary: StormSummary;
  orders: number;
  ordersByStatus: Record<string, number>;
  charges: number;
  chargesByStatus: Record<string, number>;
  duplicateOrders: number;
  extraCharges: number;
  recordsInProgress: number;
  recoveryWaitMs: number | null;
  audit: Audit;
};
export type FirstExecution = {
  intents: number;
  protected: { perSecond: number; latency: LatencySummary };
  unsafe: { perSecond: number; latency: LatencySummary } | null;
  ratio: number;
};
export type ReplayVsRead = {
  concurrency: number;
  replay: LatencySummary;
  read: LatencySummary;
  ratioP50: number;
  ratioP95: number;
  unexpected: number;
};
export type Memory = {
  instance: string;
  afterWarmupMb: number;
  stormFirstHalfPeakMb: number;
  stormSecondHalfPeakMb: number;
  endMb: number;
  peakHwmMb: number;
  flat: boolean;
};
export type TopologyReport = {
  topology: string;
  kind: Kind;
  instances: number;
  unsafeAvailable: boolean;
  firstExecution: FirstExecution;
  protectedStorm: StormRow;
  unsafeStorm: StormRow | null;
  replayVsRead: ReplayVsRead[];
  memory: Memory[];
};

/** What every scenario of one bench run shares. */
import type { Cluster } from "../lib/cluster";
import type { RetryPolicy } from "../lib/retrying-client";
import type { BenchConfig } from "./cli";

export type Bench = {
  config: BenchConfig;
  policy: RetryPolicy;
  keep: boolean;
  log: (line: string) => void;
  /** Told the cluster being measured (null once closed), so an interrupted run can still stop it. */
  setActive: (cluster: Cluster | null) => void;
};

import type { Cluster } from "../lib/cluster";
import type { RssSample } from "../lib/instances";
import type { Memory } from "./report-types";

const mb = (kb: number) => Math.round(kb / 1024);
export function memoryOf(cluster: Cluster, warmupEnd: number): Memory[] {
  return cluster.instances.map((instance) => {
    const storm = instance.samples.filter((s) => s.phase === "storm-protected");
    const start = storm[0]?.at ?? 0;
    const end = storm.at(-1)?.at ?? 0;
    const mid = start + (end - start) / 2;
    const peak = (samples: RssSample[]) => mb(Math.max(0, ...samples.map((s) => s.rssKb)));
    const firstHalf = peak(storm.filter((s) => s.at <= mid));
    const secondHalf = peak(storm.filter((s) => s.at > mid));
    const afterWarmup = instance.samples.find((s) => s.at >= warmupEnd);
    return {
      instance: instance.name,
      afterWarmupMb: mb(afterWarmup?.rssKb ?? 0),
      stormFirstHalfPeakMb: firstHalf,
      stormSecondHalfPeakMb: secondHalf,
      endMb: mb(instance.samples.at(-1)?.rssKb ?? 0),
      peakHwmMb: mb(instance.peakKb),
      // Flat: the second half of the storm needs no more than 10% above the first half's peak.
      flat: secondHalf <= firstHalf * 1.1,
    };
  });
}

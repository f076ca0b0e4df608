/** One colour and label per outcome, shared by the charts, the table and the timeline. */
export const outcomeStyle: Record<string, { label: string; color: string }> = {
  EXECUTED: { label: "Executed", color: "#16a34a" },
  RECOVERED: { label: "Lease takeover", color: "#0d9488" },
  RESUMED: { label: "Transient resume", color: "#5eead4" },
  REPLAYED: { label: "Replayed", color: "#4f46e5" },
  IN_FLIGHT_CONFLICT: { label: "In-flight conflict", color: "#f59e0b" },
  DUPLICATE_SUSPECTED: { label: "Suspected duplicate", color: "#a855f7" },
  FINGERPRINT_MISMATCH: { label: "Fingerprint mismatch", color: "#e11d48" },
  KEY_MISSING: { label: "Key missing", color: "#78716c" },
  KEY_INVALID: { label: "Key invalid", color: "#a8a29e" },
  TRANSIENT_FAILURE: { label: "Transient failure", color: "#fb923c" },
  FAILED: { label: "Failed", color: "#b91c1c" },
  REJECTED: { label: "Rejected", color: "#64748b" },
  UNSAFE_EXECUTED: { label: "Unsafe executed", color: "#7f1d1d" },
  CLIENT_DEDUPED: { label: "Client deduped", color: "#38bdf8" },
  CLIENT_RETRY: { label: "Client retry", color: "#94a3b8" },
};

export const outcomeOrder = Object.keys(outcomeStyle);
export const labelOf = (outcome: string | null) => (outcome ? (outcomeStyle[outcome]?.label ?? outcome) : "—");
export const colorOf = (outcome: string | null) => (outcome ? (outcomeStyle[outcome]?.color ?? "#64748b") : "#cbd5e1");

const channel = (hex: string, at: number) => {
  const c = Number.parseInt(hex.slice(at, at + 2), 16) / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};
/** WCAG relative luminance of a #rrggbb colour. */
const luminance = (hex: string) => 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);

/** Text colour for a label on an outcome's colour: white where it reaches 4.5:1, else near-black. */
export const inkOn = (background: string): string =>
  1.05 / (luminance(background) + 0.05) >= 4.5 ? "#ffffff" : "#0f172a";

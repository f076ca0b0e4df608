import { plural } from "../plural";
import type { Audit } from "./types";

export function AuditPanel({ audit }: { audit: Audit }) {
  const failing = audit.invariants.filter((i) => i.violations > 0);
  return (
    <div data-testid="audit" data-ok={audit.ok}>
      <p
        data-testid="audit-status"
        className={`rounded-lg px-3 py-2 text-sm font-semibold ${
          audit.ok ? "bg-emerald-50 text-emerald-800" : "bg-red-50 text-red-800"
        }`}
      >
        {audit.ok
          ? `✓ All ${plural(audit.invariants.length, "invariant")} hold`
          : `✗ ${plural(failing.length, "invariant")} violated`}
      </p>
      <ul className="mt-2 space-y-1 text-xs">
        {audit.invariants.map((i) => (
          <li key={i.name} data-testid={`invariant-${i.name}`} className="flex gap-2">
            <span aria-hidden className={i.violations === 0 ? "text-emerald-600" : "text-red-600"}>
              {i.violations === 0 ? "●" : "▲"}
            </span>
            <span className={i.violations === 0 ? "text-slate-600" : "font-medium text-red-800"}>
              {i.description}
              {i.violations > 0 ? (
                <>
                  {" "}
                  — {plural(i.violations, "violation")}:{" "}
                  <code className="break-all text-[11px]">{i.ids.join(", ")}</code>
                </>
              ) : null}
            </span>
          </li>
        ))}
      </ul>
      <p className="mt-2 text-[11px] text-slate-600">checked {new Date(audit.checkedAt).toLocaleTimeString("en-GB")}</p>
    </div>
  );
}

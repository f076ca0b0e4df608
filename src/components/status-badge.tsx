const styles: Record<string, string> = {
  PAID: "bg-emerald-100 text-emerald-800",
  PAYMENT_FAILED: "bg-red-100 text-red-800",
  PENDING_PAYMENT: "bg-amber-100 text-amber-800",
  CANCELLED: "bg-slate-200 text-slate-700",
};
const labels: Record<string, string> = {
  PAID: "Paid",
  PAYMENT_FAILED: "Declined, not charged",
  PENDING_PAYMENT: "Pending payment",
  CANCELLED: "Cancelled",
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span
      data-testid="order-status"
      data-status={status}
      className={`inline-flex rounded-full px-2.5 py-0.5 text-xs font-semibold ${styles[status] ?? "bg-slate-100 text-slate-700"}`}
    >
      {labels[status] ?? status}
    </span>
  );
}

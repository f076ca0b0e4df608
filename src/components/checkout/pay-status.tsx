"use client";

import Link from "next/link";
import type { CheckoutRetryNotice } from "@/client/checkout-client";
import { shortKey } from "@/client/intent-key";
import { linkText } from "../ui";
import { retryText } from "./checkout-copy";
import type { Notice } from "./checkout-view";

type Props = { retry: CheckoutRetryNotice | null; watching: string | null; pending: boolean; notice: Notice | null };

/** The live line under the pay button (retrying, waiting, placing) and the notice of how the last try ended. */
export function PayStatus({ retry, watching, pending, notice }: Props) {
  return (
    <>
      <p role="status" aria-live="polite" data-testid="checkout-status" className="mt-3 min-h-5 text-sm text-amber-800">
        {retry
          ? retryText(retry)
          : watching
            ? `Waiting for the shop to finish your payment (key ${shortKey(watching)})…`
            : pending
              ? "Placing your order…"
              : ""}
      </p>
      {notice ? (
        <div
          role={notice.tone === "error" ? "alert" : "status"}
          data-testid="checkout-notice"
          className={`mt-2 rounded-md p-3 text-sm ${notice.tone === "error" ? "bg-red-50 text-red-800" : "bg-sky-50 text-sky-900"}`}
        >
          {notice.text}
          {notice.orderId ? (
            <>
              {" "}
              <Link href={`/orders/${notice.orderId}`} className={linkText}>
                See the declined order
              </Link>
            </>
          ) : null}
        </div>
      ) : null}
    </>
  );
}

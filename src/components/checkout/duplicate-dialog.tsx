"use client";

import Link from "next/link";
import { useEffect, useRef } from "react";
import { primaryButton, secondaryButton } from "../ui";

type Props = {
  /** The order this attempt would repeat, if it exists yet. */
  orderId: string | null;
  /** Another key of the same intent (another tab) is being processed right now. */
  inProgress: boolean;
  secondsAgo: number;
  onPlaceAgain: () => void;
  onCancel: () => void;
  onView: () => void;
  /** Follow the attempt in progress instead of placing another. */
  onWait: () => void;
};

/** A suspected duplicate intent: only an explicit "Place it again" resends, with confirmDuplicate. */
export function DuplicateDialog({ orderId, inProgress, secondsAgo, onPlaceAgain, onCancel, onView, onWait }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  const ago = secondsAgo === 1 ? "1 second" : `${secondsAgo} seconds`;
  return (
    <dialog
      ref={ref}
      aria-labelledby="duplicate-title"
      aria-describedby="duplicate-text"
      onCancel={onCancel}
      className="m-auto max-w-md rounded-xl border border-slate-200 p-6 shadow-xl backdrop:bg-slate-900/40"
    >
      <h2 id="duplicate-title" className="text-lg font-semibold">
        {inProgress
          ? "This same order is being paid right now: wait for it, or place it again?"
          : `You placed this same order ${ago} ago: view it, or place it again?`}
      </h2>
      <p id="duplicate-text" className="mt-2 text-sm text-slate-600">
        {inProgress
          ? "The same items with the same card are being paid for right now, perhaps in another tab. Nothing has been charged for this attempt; placing it again would be a second order."
          : "The same items with the same card were ordered moments ago, perhaps in another tab. Nothing has been charged for this attempt."}
      </p>
      <div className="mt-5 flex flex-wrap justify-end gap-2">
        <button type="button" className={secondaryButton} onClick={onCancel}>
          Cancel
        </button>
        {inProgress ? (
          <button type="button" className={secondaryButton} onClick={onWait}>
            Wait for it
          </button>
        ) : orderId ? (
          <Link href={`/orders/${orderId}`} className={secondaryButton} onClick={onView}>
            View it
          </Link>
        ) : null}
        <button type="button" className={primaryButton} onClick={onPlaceAgain}>
          Place it again
        </button>
      </div>
    </dialog>
  );
}

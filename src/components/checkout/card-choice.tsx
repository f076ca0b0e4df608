"use client";

import type { CardToken } from "@/client/intent-key";
import { APPROVED_CARD, DECLINED_CARD } from "@/shared/names";

const cards: { token: CardToken; label: string; hint: string }[] = [
  { token: APPROVED_CARD, label: "Visa ending 4242", hint: "tok_visa: always succeeds" },
  { token: DECLINED_CARD, label: "Card that declines", hint: "tok_declined: the bank says no" },
];

/** The simulated provider's test cards as radio buttons. */
export function CardChoice({ token, onToken }: { token: CardToken; onToken: (token: CardToken) => void }) {
  return (
    <fieldset className="mt-3">
      <legend className="text-sm font-medium text-slate-800">Card</legend>
      <div className="mt-2 grid gap-2 sm:grid-cols-2">
        {cards.map((card) => (
          <label
            key={card.token}
            className="flex cursor-pointer items-start gap-3 rounded-lg border border-slate-200 p-3 has-checked:border-indigo-500 has-checked:bg-indigo-50"
          >
            <input
              type="radio"
              name="card"
              value={card.token}
              checked={token === card.token}
              onChange={() => onToken(card.token)}
              className="mt-1 accent-indigo-600"
            />
            <span>
              <span className="font-medium">{card.label}</span>
              <span className="block text-xs text-slate-600">{card.hint}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

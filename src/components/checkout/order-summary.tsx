import { formatCents } from "@/client/money";
import type { RouterOutputs } from "@/client/router-outputs";
import { ProductImage } from "../product-image";
import { panel } from "../ui";

type Cart = RouterOutputs["cart"]["get"];

/** The cart under review, beside the payment form. */
export function OrderSummary({ cart }: { cart: Cart }) {
  return (
    <aside className={`${panel} h-fit`} aria-labelledby="summary-title">
      <h2 id="summary-title" className="text-lg font-semibold">
        Order summary
      </h2>
      <ul className="mt-3 divide-y divide-slate-100" data-testid="checkout-items">
        {cart.items.map((i) => (
          <li key={i.productId} className="flex justify-between gap-3 py-2 text-sm">
            <span className="flex items-center gap-2">
              <ProductImage productId={i.productId} size={20} /> {i.name} × {i.quantity}
            </span>
            <span>{formatCents(i.priceCents * i.quantity)}</span>
          </li>
        ))}
      </ul>
      <p className="mt-3 flex justify-between border-t border-slate-200 pt-3 font-semibold">
        <span>Total</span>
        <span>{formatCents(cart.totalCents)}</span>
      </p>
    </aside>
  );
}

import { adminRouter } from "./routers/admin";
import { cartRouter } from "./routers/cart";
import { catalogRouter } from "./routers/catalog";
import { checkoutRouter } from "./routers/checkout";
import { demoRouter } from "./routers/demo";
import { eventsRouter } from "./routers/events";
import { ordersRouter } from "./routers/orders";
import { sessionRouter } from "./routers/session";
import { router } from "./trpc";

export const appRouter = router({
  session: sessionRouter,
  catalog: catalogRouter,
  cart: cartRouter,
  checkout: checkoutRouter,
  orders: ordersRouter,
  admin: adminRouter,
  events: eventsRouter,
  demo: demoRouter,
});

export type AppRouter = typeof appRouter;

import { listProducts } from "@/server/catalog/list-products";
import { publicProcedure } from "../procedures";
import { router } from "../trpc";

export const catalogRouter = router({
  list: publicProcedure.query(({ ctx }) => listProducts(ctx.db)),
});

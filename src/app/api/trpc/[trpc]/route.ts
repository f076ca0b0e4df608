import { handleTrpcRequest } from "@/server/api/http-handler";

const handler = (req: Request) => handleTrpcRequest(req);

export { handler as GET, handler as POST };
export const dynamic = "force-dynamic";

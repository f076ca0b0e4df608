import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { handleTrpcRequest } from "@/server/api/http-handler";
import type { Services } from "@/server/services";

export type RunningServer = { url: string; close: () => Promise<void> };

/**
 * Serves the app's tRPC handler over real HTTP on a loopback port (0 = any free port). Tests read the
 * request events right after a response, so each response waits here for the batched event writer (the
 * app's own route handler does not: a replay never waits for a commit).
 */
export function startHttpServer(services: Services, port = 0): Promise<RunningServer> {
  return new Promise((resolve) => {
    const server = serve(
      {
        fetch: async (req) => {
          const response = await handleTrpcRequest(req, services);
          await services.events.flush();
          return response;
        },
        port,
        hostname: "127.0.0.1",
      },
      (info) => {
        const { port: bound } = info as AddressInfo;
        resolve({
          url: `http://127.0.0.1:${bound}`,
          close: () =>
            new Promise((done) => {
              server.close(() => done());
              if ("closeAllConnections" in server) server.closeAllConnections();
            }),
        });
      },
    );
  });
}

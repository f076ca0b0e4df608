import { QueryClient } from "@tanstack/react-query";

export const makeQueryClient = () =>
  new QueryClient({
    defaultOptions: {
      queries: { staleTime: 5_000, retry: 1 },
      // Mutations are never retried blindly: keyed ones go through src/client's retry policy.
      mutations: { retry: false },
    },
  });

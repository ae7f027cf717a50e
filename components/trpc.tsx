"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState, type ReactNode } from "react";
import type { AppRouter } from "@/server/trpc/router";

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

export function TrpcProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: false } } }),
  );
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "/api/trpc", maxItems: 10 })] }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}

interface AppErrorData {
  app?: { code: string; message: string; issues?: Array<{ field: string; message: string }> } | null;
}

/** The structured error of a failed call, as the server's AppError sent it. */
export function appErrorOf(error: unknown): { message: string; issues: Array<{ field: string; message: string }> } | null {
  if (!error) return null;
  const data = (error as { data?: AppErrorData }).data;
  const message = data?.app?.message ?? (error instanceof Error ? error.message : "Something went wrong.");
  return { message, issues: data?.app?.issues ?? [] };
}

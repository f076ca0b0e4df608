"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { HOME } from "@/client/return-to";
import { useTRPC } from "@/trpc/react";

/** `next`: the validated page that asked for sign-in (see safeReturnPath); home when there is none. */
export function SignInForm({ next }: { next: string | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [adminPassword, setAdminPassword] = useState("");
  const signIn = useMutation(
    trpc.session.signIn.mutationOptions({
      onSuccess: async () => {
        // Another shopper now: nothing cached for the previous session may show.
        await queryClient.resetQueries();
        router.push(next ?? HOME);
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate({ name, ...(adminPassword ? { adminPassword } : {}) });
  };
  // Refused input comes with the server's per-field messages, written for people.
  const fieldErrors = signIn.error?.data?.fieldErrors;
  const nameError = fieldErrors?.name?.[0];
  const passwordError = fieldErrors?.adminPassword?.[0];
  const otherError = signIn.isError && !nameError && !passwordError ? signIn.error.message : null;
  return (
    <form onSubmit={submit} noValidate className="space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
      <label className="block">
        <span className="text-sm font-medium">Shopper name</span>
        <input
          name="name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={nameError ? true : undefined}
          aria-describedby={nameError ? "name-error" : undefined}
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 aria-invalid:border-red-500"
          autoComplete="username"
        />
        {nameError ? (
          <span id="name-error" role="alert" className="mt-1 block text-sm text-red-700">
            {nameError}
          </span>
        ) : null}
      </label>
      <label className="block">
        <span className="text-sm font-medium">Admin password (optional)</span>
        <input
          name="adminPassword"
          type="password"
          value={adminPassword}
          onChange={(e) => setAdminPassword(e.target.value)}
          aria-invalid={passwordError ? true : undefined}
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2"
          autoComplete="current-password"
        />
        {passwordError ? (
          <span role="alert" className="mt-1 block text-sm text-red-700">
            {passwordError}
          </span>
        ) : null}
      </label>
      {otherError ? (
        <p role="alert" className="text-sm text-red-700">
          {otherError}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={signIn.isPending}
        className="w-full rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
      >
        {signIn.isPending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}

"use server";

import { redirect } from "next/navigation";
import type { ErrorBody } from "@/server/errors";
import { registry } from "@/server/procedures";
import { siteCall } from "@/server/site";

export interface ApprovalActionState {
  error: ErrorBody | null;
}

/** Approve at the total the page showed, with the sizes picked on it; then off to Stripe Checkout. */
export async function approveAction(_previous: ApprovalActionState, form: FormData): Promise<ApprovalActionState> {
  const sizes: Record<string, string> = {};
  for (const [name, value] of form.entries()) {
    if (name.startsWith("size:") && typeof value === "string" && value !== "") sizes[name.slice(5)] = value;
  }
  const result = await siteCall(registry.approvals.approve, {
    approvalId: String(form.get("approvalId") ?? ""),
    sizes,
    expectedTotalMinor: Number(form.get("expectedTotalMinor")),
  });
  if (!result.ok) return { error: result.error };
  redirect(result.value.checkoutUrl);
}

export async function cancelAction(_previous: ApprovalActionState, form: FormData): Promise<ApprovalActionState> {
  const approvalId = String(form.get("approvalId") ?? "");
  const result = await siteCall(registry.approvals.cancel, { approvalId });
  if (!result.ok) return { error: result.error };
  redirect(`/orders/${result.value.approvalId}`);
}

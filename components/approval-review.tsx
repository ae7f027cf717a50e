import Link from "next/link";
import type { ApprovalReview } from "@/server/procedures/approvals";
import { ApprovalForm } from "./approval-form";

const dateTime = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** The approval page: exactly what the user approves, recomputed on the server, and the two choices. */
export function ApprovalReviewView({ review }: { review: ApprovalReview }) {
  const open = review.status === "pending_approval";
  return (
    <article className="approval" aria-labelledby="approval-title">
      <h1 id="approval-title">Review and approve your basket</h1>
      <p className="lede">
        ChatGPT prepared this basket for you. Nothing is bought until you approve it here and pay on Stripe&apos;s
        secure page. This link works until {dateTime.format(new Date(review.expiresAt))} UTC.
      </p>
      {review.notes ? (
        <blockquote className="note">
          <p>
            <strong>Note from your stylist:</strong> {review.notes}
          </p>
        </blockquote>
      ) : null}
      {review.changed && open ? (
        <div role="alert" className="notice warning">
          <p>
            <strong>Something changed since this link was made.</strong> Approving means accepting the new total of{" "}
            {review.currentTotal.formatted} (it was {review.total.formatted}).
          </p>
        </div>
      ) : null}
      {!open ? <StatusPanel review={review} /> : null}
      <ApprovalForm review={review} />
      <BudgetPanel review={review} />
      <p className="fine-print">
        Payments are processed by Stripe. You can see every order on <Link href="/orders">your orders page</Link>.
      </p>
    </article>
  );
}

function StatusPanel({ review }: { review: ApprovalReview }) {
  return (
    <div className="notice" role="status">
      <p>
        <strong>{review.statusText}.</strong> {review.nextStep}
      </p>
      {review.checkoutUrl ? (
        <p>
          <a className="button" href={review.checkoutUrl}>
            Continue to payment
          </a>
        </p>
      ) : null}
    </div>
  );
}

function BudgetPanel({ review }: { review: ApprovalReview }) {
  const budget = review.budget;
  if (!budget) {
    return (
      <p className="budget">
        You have no monthly budget set. <Link href="/profile">Set one on your profile</Link>.
      </p>
    );
  }
  return (
    <section className="budget" aria-labelledby="budget-title">
      <h2 id="budget-title">Your monthly budget</h2>
      <dl>
        <dt>Budget</dt>
        <dd>{budget.monthly.formatted}</dd>
        <dt>Other orders this month</dt>
        <dd>{budget.committedThisMonth.formatted}</dd>
        <dt>Left after this basket</dt>
        <dd className={budget.overBudget ? "over" : undefined}>
          {budget.remainingAfter.formatted}
          {budget.overBudget ? (review.allowOverBudget ? " (over budget, as you asked)" : " (over budget)") : ""}
        </dd>
      </dl>
    </section>
  );
}

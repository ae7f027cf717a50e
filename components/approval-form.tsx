"use client";

import { useActionState } from "react";
import { approveAction, cancelAction, type ApprovalActionState } from "@/server/actions/checkout";
import type { ApprovalReview } from "@/server/procedures/approvals";
import { BasketTable } from "./basket-table";

const INITIAL: ApprovalActionState = { error: null };

/**
 * The basket with its size choices and the two buttons. Plain forms posting to server actions: they
 * work before (and without) JavaScript; with it, errors show in place.
 */
export function ApprovalForm({ review }: { review: ApprovalReview }) {
  const [approveState, approve, approving] = useActionState(approveAction, INITIAL);
  const [cancelState, cancel, canceling] = useActionState(cancelAction, INITIAL);
  const open = review.status === "pending_approval";
  const canCancel = open || review.status === "approved";
  const error = approveState.error ?? cancelState.error;
  const fieldErrors = new Map((error?.issues ?? []).map((issue) => [issue.field, issue.message]));
  return (
    <>
      <form action={approve} id="approve-form" aria-describedby={error ? "approval-error" : undefined}>
        <input type="hidden" name="approvalId" value={review.approvalId} />
        <input type="hidden" name="expectedTotalMinor" value={review.currentTotal.amountMinor} />
        <BasketTable caption="Items in this basket" total={review.currentTotal.formatted}>
          {review.lines.map((line) => {
            const sizeError = fieldErrors.get(`sizes.${line.itemId}`);
            const sizeId = `size-${line.itemId}`;
            const selected = line.size !== null && line.sizeOptions.includes(line.size) ? line.size : "";
            return (
              <tr key={line.itemId}>
                <td>
                  <div className="basket-item">
                    <img src={line.imageUrl} alt="" width={60} height={72} loading="lazy" decoding="async" />
                    <div>
                      <a href={line.pageUrl}>{line.title}</a>
                      <div className="muted">{line.brand}</div>
                      {line.changes.map((change) => (
                        <div key={change} className="change">
                          {change}
                        </div>
                      ))}
                    </div>
                  </div>
                </td>
                <td>
                  {open && line.sizeOptions.length > 1 ? (
                    <>
                      <label htmlFor={sizeId} className="visually-hidden">
                        Size of {line.title}
                      </label>
                      <select
                        id={sizeId}
                        name={`size:${line.itemId}`}
                        defaultValue={selected}
                        required
                        aria-invalid={sizeError ? true : undefined}
                        aria-describedby={sizeError ? `${sizeId}-error` : undefined}
                      >
                        <option value="" disabled>
                          Choose
                        </option>
                        {line.sizeOptions.map((size) => (
                          <option key={size} value={size}>
                            {size}
                          </option>
                        ))}
                      </select>
                      {sizeError ? (
                        <div id={`${sizeId}-error`} className="field-error">
                          {sizeError}
                        </div>
                      ) : null}
                    </>
                  ) : (
                    (line.size ?? line.sizeOptions[0] ?? "—")
                  )}
                </td>
                <td className="num">{line.quantity}</td>
                <td className="num">
                  {line.snapshotUnitPrice.amountMinor !== line.currentUnitPrice.amountMinor ? (
                    <>
                      <del>{line.snapshotUnitPrice.formatted}</del> <ins>{line.currentUnitPrice.formatted}</ins>
                    </>
                  ) : (
                    line.currentUnitPrice.formatted
                  )}
                </td>
              </tr>
            );
          })}
        </BasketTable>
      </form>
      {error ? (
        <p id="approval-error" role="alert" className="status error">
          {error.message}
          {error.code === "conflict" ? (
            <>
              {" "}
              <a href="">Reload this page</a>
            </>
          ) : null}
        </p>
      ) : null}
      {review.blockers.length > 0 && open ? (
        <ul className="blockers" role="status">
          {review.blockers.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
      ) : null}
      <div className="actions">
        {open ? (
          <button type="submit" form="approve-form" className="button" disabled={approving || review.blockers.length > 0}>
            {approving ? "Opening payment…" : `Approve and pay ${review.currentTotal.formatted}`}
          </button>
        ) : null}
        {canCancel ? (
          <form action={cancel}>
            <input type="hidden" name="approvalId" value={review.approvalId} />
            <button type="submit" className="button secondary" disabled={canceling}>
              {canceling ? "Canceling…" : "Cancel this basket"}
            </button>
          </form>
        ) : null}
      </div>
    </>
  );
}

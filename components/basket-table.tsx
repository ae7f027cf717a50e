import type { ReactNode } from "react";

/**
 * A basket as a table (the approval page, an order): item, size, quantity, price, and the total.
 * Rows are the caller's: the approval page puts size pickers in them, an order plain text.
 */
export function BasketTable({ caption, total, children }: { caption: string; total: string; children: ReactNode }) {
  return (
    <table className="basket">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col">Size</th>
          <th scope="col" className="num">
            Qty
          </th>
          <th scope="col" className="num">
            Price
          </th>
        </tr>
      </thead>
      <tbody>{children}</tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={3}>
            Total
          </th>
          <td className="num total">{total}</td>
        </tr>
      </tfoot>
    </table>
  );
}

import { STYLE_WHEEL } from "./vocabulary";

/**
 * The style map's coordinates, computed from an item's attributes so that similar items sit together.
 *
 * 1. Style wheel: the twelve style tags sit evenly on a circle of radius 100, ordered so neighbouring
 *    tags are related (classic next to preppy, streetwear next to sporty and edgy). An item's point is
 *    the weighted mean of its tags' anchors (first tag weight 2, the others 1), pushed back out to
 *    70% of the radius so mixed-style items do not all collapse to the centre.
 * 2. Formality: +8 on y per step above 3 (dressier items drift up, lounge items down).
 * 3. Category: a small offset (radius 12) by category, so within a style the tops, shoes and coats form
 *    visible sub-clusters when zoomed in.
 * 4. Jitter: a deterministic Gaussian (sigma 3) from the item's own seed, so identical attribute sets
 *    spread into a cloud instead of one point.
 *
 * Coordinates stay within about [-140, 140] on both axes.
 */
export const STYLE_RADIUS = 100;
const RADIUS = STYLE_RADIUS;

const ANCHORS = new Map(
  STYLE_WHEEL.map((tag, i) => {
    const angle = (2 * Math.PI * i) / STYLE_WHEEL.length;
    return [tag, { x: RADIUS * Math.cos(angle), y: RADIUS * Math.sin(angle) }];
  }),
);

/** Where a style tag sits on the wheel (the centre for an unknown tag). */
export function styleAnchor(tag: string): { x: number; y: number } {
  return ANCHORS.get(tag) ?? { x: 0, y: 0 };
}

export function stylePosition(input: {
  styleTags: readonly string[];
  formality: number;
  categoryIndex: number;
  categoryCount: number;
  gaussian: () => number;
}): { x: number; y: number } {
  let x = 0;
  let y = 0;
  let weight = 0;
  input.styleTags.forEach((tag, i) => {
    const anchor = ANCHORS.get(tag);
    if (!anchor) return;
    const w = i === 0 ? 2 : 1;
    x += anchor.x * w;
    y += anchor.y * w;
    weight += w;
  });
  if (weight > 0) {
    x /= weight;
    y /= weight;
    const length = Math.hypot(x, y);
    if (length > 0) {
      const target = Math.max(length, RADIUS * 0.7);
      x = (x / length) * target;
      y = (y / length) * target;
    }
  }
  y += (input.formality - 3) * 8;
  const categoryAngle = (2 * Math.PI * input.categoryIndex) / Math.max(1, input.categoryCount);
  x += 12 * Math.cos(categoryAngle);
  y += 12 * Math.sin(categoryAngle);
  x += input.gaussian() * 3;
  y += input.gaussian() * 3;
  return { x: round(x), y: round(y) };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

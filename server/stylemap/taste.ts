import { STYLE_WHEEL } from "@/db/seed/vocabulary";
import { styleAnchor } from "@/db/seed/style-space";
import type { CatalogIndex } from "../search/index";
import type { RatedPoint } from "./neighbors";
import { round } from "./space";

/**
 * A person's taste on the map: where their liked and disliked items sit, and a "your style" region,
 * the centre of what they liked (each liked item once) and of their profile's style tags (each tag's
 * anchor, pulled in to where items with that tag sit, counting twice), with a radius that covers the
 * liked items' spread. Named after the two style anchors nearest its centre.
 */
export interface StyleRegion {
  x: number;
  y: number;
  radius: number;
  label: string;
  basedOn: { likes: number; styleTags: number };
}

export interface RatingPoints {
  liked: RatedPoint[];
  disliked: RatedPoint[];
}

const TAG_WEIGHT = 2;
const TAG_PULL = 0.7;

export function ratedPoints(index: CatalogIndex, ratings: Array<{ productId: string; rating: number }>): RatingPoints {
  const points: RatingPoints = { liked: [], disliked: [] };
  for (const r of ratings) {
    const o = index.ordinalOf.get(r.productId);
    if (o === undefined || r.rating === 0) continue;
    (r.rating > 0 ? points.liked : points.disliked).push({ id: r.productId, x: index.x[o]!, y: index.y[o]! });
  }
  return points;
}

export function styleRegion(points: RatingPoints, styleTags: readonly string[]): StyleRegion | null {
  const tags = styleTags.filter((t) => (STYLE_WHEEL as readonly string[]).includes(t));
  if (points.liked.length === 0 && tags.length === 0) return null;
  let sx = 0;
  let sy = 0;
  let w = 0;
  for (const p of points.liked) {
    sx += p.x;
    sy += p.y;
    w += 1;
  }
  for (const tag of tags) {
    const a = styleAnchor(tag);
    sx += a.x * TAG_PULL * TAG_WEIGHT;
    sy += a.y * TAG_PULL * TAG_WEIGHT;
    w += TAG_WEIGHT;
  }
  const x = sx / w;
  const y = sy / w;
  const spread = points.liked.length
    ? Math.sqrt(points.liked.reduce((sum, p) => sum + (p.x - x) ** 2 + (p.y - y) ** 2, 0) / points.liked.length)
    : 0;
  const radius = Math.min(60, Math.max(18, spread));
  const nearest = STYLE_WHEEL.map((tag) => {
    const a = styleAnchor(tag);
    return { tag, d: Math.hypot(a.x * TAG_PULL - x, a.y * TAG_PULL - y) };
  }).sort((a, b) => a.d - b.d);
  return {
    x: round(x),
    y: round(y),
    radius: round(radius),
    label: `${nearest[0]!.tag} and ${nearest[1]!.tag}`,
    basedOn: { likes: points.liked.length, styleTags: tags.length },
  };
}

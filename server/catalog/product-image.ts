import { CATEGORIES, COLORS } from "@/db/seed/vocabulary";

/** Silhouettes on a 200x240 canvas, one per garment family. */
const SILHOUETTES: Record<string, string> = {
  tee: "M60 40 L85 30 Q100 45 115 30 L140 40 L175 75 L155 95 L140 85 L140 205 L60 205 L60 85 L45 95 L25 75 Z",
  shirt: "M62 38 L88 28 L100 48 L112 28 L138 38 L170 95 L152 105 L140 90 L140 210 L60 210 L60 90 L48 105 L30 95 Z M100 48 L100 210",
  sweater: "M58 40 L85 32 Q100 42 115 32 L142 40 L172 140 L152 146 L140 95 L140 205 L60 205 L60 95 L48 146 L28 140 Z",
  hoodie: "M70 45 Q100 5 130 45 L145 50 L172 140 L152 146 L140 100 L140 205 L60 205 L60 100 L48 146 L28 140 L55 50 Z",
  trousers: "M65 30 L135 30 L145 215 L112 215 L100 90 L88 215 L55 215 Z",
  shorts: "M62 50 L138 50 L148 150 L108 150 L100 100 L92 150 L52 150 Z",
  skirt: "M72 40 L128 40 L158 195 L42 195 Z",
  dress: "M78 25 L90 25 Q100 40 110 25 L122 25 L128 85 L160 210 L40 210 L72 85 Z",
  maxi: "M80 20 L90 20 Q100 35 110 20 L120 20 L126 80 L150 225 L50 225 L74 80 Z",
  jacket: "M60 35 L88 28 L100 70 L112 28 L140 35 L172 150 L152 156 L142 105 L142 212 L58 212 L58 105 L48 156 L28 150 Z",
  coat: "M62 25 L88 20 L100 75 L112 20 L138 25 L170 160 L150 166 L144 120 L150 228 L50 228 L56 120 L50 166 L30 160 Z",
  sneaker: "M30 150 L40 110 L90 105 L120 125 L170 135 Q180 145 175 165 L30 165 Z",
  boot: "M60 50 L110 50 L110 135 L165 150 Q175 160 170 180 L60 180 Z",
  loafer: "M30 155 Q40 120 90 120 L150 132 Q175 140 172 165 L30 165 Z",
  sandal: "M35 160 Q40 140 100 140 Q165 140 170 160 Z M70 140 L90 110 L110 140 M120 140 L135 115",
  heel: "M40 120 Q60 100 100 140 L160 150 Q170 160 160 170 L120 170 L60 150 L55 190 L45 190 Z",
  bag: "M50 90 L150 90 L160 200 L40 200 Z M75 90 Q100 30 125 90",
  belt: "M20 110 L180 110 L180 130 L20 130 Z M140 104 L165 104 L165 136 L140 136 Z",
  // A loop around the neck (the inner ellipse runs the other way, so it is a hole) and two fringed ends:
  // the two straight legs it had read as a pair of trousers on the plans page.
  scarf:
    "M45 70 A55 32 0 1 1 155 70 A55 32 0 1 1 45 70 Z M65 70 A35 17 0 1 0 135 70 A35 17 0 1 0 65 70 Z " +
    "M98 88 L126 92 L138 200 L133 208 L128 200 L123 208 L118 200 L113 208 L108 200 Z M74 86 L100 92 L96 180 L91 188 L86 180 L81 188 L76 180 L71 188 L68 180 Z",
  hat: "M30 150 Q100 170 170 150 L150 140 Q150 70 100 70 Q50 70 50 140 Z",
  sunglasses: "M25 100 L90 100 L85 140 Q60 150 35 140 Z M110 100 L175 100 L165 140 Q140 150 115 140 Z M90 105 L110 105",
};

const SILHOUETTE_BY_SUBCATEGORY = new Map(
  CATEGORIES.flatMap((c) => c.subcategories.map((s) => [s.slug, s.silhouette] as const)),
);
const HEX_BY_COLOR = new Map(COLORS.map((c) => [c.name, c.hex]));

export function silhouetteFor(category: string, subcategory: string): string {
  const key = SILHOUETTE_BY_SUBCATEGORY.get(subcategory);
  if (key) return key;
  const fallback: Record<string, string> = {
    tops: "tee",
    bottoms: "trousers",
    dresses: "dress",
    outerwear: "jacket",
    shoes: "sneaker",
    accessories: "bag",
    activewear: "tee",
  };
  return fallback[category] ?? "tee";
}

function patternDefs(pattern: string, accent: string): string {
  const a = escapeXml(accent);
  switch (pattern) {
    case "striped":
      return `<pattern id="p" width="14" height="14" patternUnits="userSpaceOnUse"><rect width="14" height="5" fill="${a}" opacity=".55"/></pattern>`;
    case "checked":
    case "houndstooth":
      return `<pattern id="p" width="20" height="20" patternUnits="userSpaceOnUse"><rect width="10" height="10" fill="${a}" opacity=".45"/><rect x="10" y="10" width="10" height="10" fill="${a}" opacity=".45"/></pattern>`;
    case "polka dot":
      return `<pattern id="p" width="18" height="18" patternUnits="userSpaceOnUse"><circle cx="9" cy="9" r="3.5" fill="${a}" opacity=".7"/></pattern>`;
    case "floral":
      return `<pattern id="p" width="30" height="30" patternUnits="userSpaceOnUse"><g fill="${a}" opacity=".6"><circle cx="15" cy="9" r="4"/><circle cx="9" cy="15" r="4"/><circle cx="21" cy="15" r="4"/><circle cx="15" cy="21" r="4"/></g><circle cx="15" cy="15" r="3" fill="#fff" opacity=".7"/></pattern>`;
    case "animal print":
    case "camo":
      return `<pattern id="p" width="40" height="40" patternUnits="userSpaceOnUse"><g fill="${a}" opacity=".5"><ellipse cx="10" cy="10" rx="7" ry="4"/><ellipse cx="30" cy="24" rx="8" ry="5"/><ellipse cx="14" cy="32" rx="5" ry="3"/></g></pattern>`;
    case "graphic":
      return `<pattern id="p" width="200" height="240" patternUnits="userSpaceOnUse"><circle cx="100" cy="110" r="22" fill="${a}" opacity=".7"/></pattern>`;
    default:
      return "";
  }
}

/** A product picture: its garment's silhouette in its colour, with its pattern. Pure and cacheable. */
export function renderProductSvg(
  product: {
    title: string;
    category: string;
    subcategory: string;
    colors: readonly string[];
    pattern: string;
  },
  options: { background?: boolean } = {},
): string {
  const base = HEX_BY_COLOR.get(product.colors[0] ?? "") ?? "#9aa0a6";
  const accent = HEX_BY_COLOR.get(product.colors[1] ?? "") ?? (isLight(base) ? "#33363b" : "#f2f2f2");
  const path = SILHOUETTES[silhouetteFor(product.category, product.subcategory)];
  const defs = patternDefs(product.pattern, accent);
  const stroke = isLight(base) ? "#8a8d91" : "#111";
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 240" width="400" height="480" role="img">`,
    `<title>${escapeXml(product.title)}</title>`,
    // Without the backdrop (the try-on renderer's cut-out garment), everything outside the garment is transparent.
    options.background === false ? "" : `<rect width="200" height="240" fill="#f4f1ec"/>`,
    defs ? `<defs>${defs}</defs>` : "",
    `<path d="${path}" fill="${base}" stroke="${stroke}" stroke-width="1.5" stroke-linejoin="round"/>`,
    defs ? `<path d="${path}" fill="url(#p)"/>` : "",
    `</svg>`,
  ].join("");
}

function isLight(hex: string): boolean {
  const n = Number.parseInt(hex.slice(1), 16);
  const r = (n >> 16) & 255;
  const g = (n >> 8) & 255;
  const b = n & 255;
  return 0.299 * r + 0.587 * g + 0.114 * b > 160;
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

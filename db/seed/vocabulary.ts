/** The fashion vocabulary the generator and the feed importer share. */

export type BrandTier = "value" | "mid" | "premium" | "luxury";

export interface Subcategory {
  slug: string;
  noun: string;
  basePrice: number; // USD for a mid-tier brand
  formality: number; // 1..5
  sizes: "apparel" | "waist" | "shoes" | "one-size";
  materials: string[];
  silhouette: string; // key into the SVG silhouettes (server/catalog/product-image.ts)
}

export interface Category {
  slug: string;
  name: string;
  subcategories: Subcategory[];
}

const knit = ["cotton", "organic cotton", "linen", "jersey", "modal"];
export const CATEGORIES: Category[] = [
  {
    slug: "tops",
    name: "Tops",
    subcategories: [
      { slug: "tshirts", noun: "T-Shirt", basePrice: 25, formality: 1, sizes: "apparel", materials: knit, silhouette: "tee" },
      { slug: "shirts", noun: "Shirt", basePrice: 55, formality: 3, sizes: "apparel", materials: ["cotton", "linen", "oxford cotton", "silk"], silhouette: "shirt" },
      { slug: "blouses", noun: "Blouse", basePrice: 60, formality: 3, sizes: "apparel", materials: ["silk", "viscose", "cotton", "chiffon"], silhouette: "shirt" },
      { slug: "sweaters", noun: "Sweater", basePrice: 70, formality: 2, sizes: "apparel", materials: ["wool", "merino wool", "cashmere", "cotton"], silhouette: "sweater" },
      { slug: "hoodies", noun: "Hoodie", basePrice: 50, formality: 1, sizes: "apparel", materials: ["cotton", "fleece", "recycled polyester"], silhouette: "hoodie" },
      { slug: "polos", noun: "Polo Shirt", basePrice: 40, formality: 2, sizes: "apparel", materials: ["pique cotton", "cotton"], silhouette: "tee" },
    ],
  },
  {
    slug: "bottoms",
    name: "Bottoms",
    subcategories: [
      { slug: "jeans", noun: "Jeans", basePrice: 70, formality: 2, sizes: "waist", materials: ["denim", "stretch denim", "selvedge denim"], silhouette: "trousers" },
      { slug: "trousers", noun: "Trousers", basePrice: 75, formality: 3, sizes: "waist", materials: ["wool", "cotton twill", "linen", "corduroy"], silhouette: "trousers" },
      { slug: "skirts", noun: "Skirt", basePrice: 55, formality: 3, sizes: "apparel", materials: ["cotton", "wool", "satin", "denim", "leather"], silhouette: "skirt" },
      { slug: "shorts", noun: "Shorts", basePrice: 35, formality: 1, sizes: "waist", materials: ["cotton", "linen", "denim"], silhouette: "shorts" },
    ],
  },
  {
    slug: "dresses",
    name: "Dresses",
    subcategories: [
      { slug: "midi-dresses", noun: "Midi Dress", basePrice: 90, formality: 3, sizes: "apparel", materials: ["viscose", "silk", "cotton", "crepe"], silhouette: "dress" },
      { slug: "maxi-dresses", noun: "Maxi Dress", basePrice: 100, formality: 3, sizes: "apparel", materials: ["chiffon", "linen", "viscose"], silhouette: "maxi" },
      { slug: "mini-dresses", noun: "Mini Dress", basePrice: 80, formality: 3, sizes: "apparel", materials: ["satin", "sequin", "cotton", "crepe"], silhouette: "dress" },
      { slug: "shirt-dresses", noun: "Shirt Dress", basePrice: 85, formality: 2, sizes: "apparel", materials: ["cotton", "linen", "denim"], silhouette: "dress" },
      { slug: "evening-gowns", noun: "Evening Gown", basePrice: 220, formality: 5, sizes: "apparel", materials: ["silk", "satin", "velvet", "tulle"], silhouette: "maxi" },
    ],
  },
  {
    slug: "outerwear",
    name: "Outerwear",
    subcategories: [
      { slug: "jackets", noun: "Jacket", basePrice: 120, formality: 2, sizes: "apparel", materials: ["denim", "leather", "suede", "nylon", "cotton canvas"], silhouette: "jacket" },
      { slug: "coats", noun: "Coat", basePrice: 200, formality: 4, sizes: "apparel", materials: ["wool", "cashmere blend", "bouclé"], silhouette: "coat" },
      { slug: "blazers", noun: "Blazer", basePrice: 150, formality: 4, sizes: "apparel", materials: ["wool", "linen", "tweed", "velvet"], silhouette: "jacket" },
      { slug: "parkas", noun: "Parka", basePrice: 180, formality: 1, sizes: "apparel", materials: ["nylon", "recycled polyester", "cotton"], silhouette: "coat" },
      { slug: "trench-coats", noun: "Trench Coat", basePrice: 190, formality: 3, sizes: "apparel", materials: ["cotton gabardine", "water-repellent cotton"], silhouette: "coat" },
    ],
  },
  {
    slug: "shoes",
    name: "Shoes",
    subcategories: [
      { slug: "sneakers", noun: "Sneakers", basePrice: 90, formality: 1, sizes: "shoes", materials: ["leather", "canvas", "knit mesh", "suede"], silhouette: "sneaker" },
      { slug: "boots", noun: "Boots", basePrice: 150, formality: 2, sizes: "shoes", materials: ["leather", "suede", "rubber"], silhouette: "boot" },
      { slug: "loafers", noun: "Loafers", basePrice: 130, formality: 4, sizes: "shoes", materials: ["leather", "suede", "patent leather"], silhouette: "loafer" },
      { slug: "sandals", noun: "Sandals", basePrice: 60, formality: 1, sizes: "shoes", materials: ["leather", "raffia", "rubber"], silhouette: "sandal" },
      { slug: "heels", noun: "Heels", basePrice: 120, formality: 4, sizes: "shoes", materials: ["leather", "satin", "patent leather"], silhouette: "heel" },
    ],
  },
  {
    slug: "accessories",
    name: "Accessories",
    subcategories: [
      { slug: "bags", noun: "Bag", basePrice: 110, formality: 3, sizes: "one-size", materials: ["leather", "canvas", "nylon", "straw"], silhouette: "bag" },
      { slug: "belts", noun: "Belt", basePrice: 40, formality: 3, sizes: "one-size", materials: ["leather", "suede", "woven cotton"], silhouette: "belt" },
      { slug: "scarves", noun: "Scarf", basePrice: 45, formality: 2, sizes: "one-size", materials: ["wool", "cashmere", "silk", "cotton"], silhouette: "scarf" },
      { slug: "hats", noun: "Hat", basePrice: 35, formality: 2, sizes: "one-size", materials: ["wool felt", "straw", "cotton"], silhouette: "hat" },
      { slug: "sunglasses", noun: "Sunglasses", basePrice: 80, formality: 2, sizes: "one-size", materials: ["acetate", "metal"], silhouette: "sunglasses" },
    ],
  },
  {
    slug: "activewear",
    name: "Activewear",
    subcategories: [
      { slug: "leggings", noun: "Leggings", basePrice: 55, formality: 1, sizes: "apparel", materials: ["recycled nylon", "spandex blend"], silhouette: "trousers" },
      { slug: "sports-bras", noun: "Sports Bra", basePrice: 40, formality: 1, sizes: "apparel", materials: ["recycled nylon", "spandex blend"], silhouette: "tee" },
      { slug: "track-jackets", noun: "Track Jacket", basePrice: 70, formality: 1, sizes: "apparel", materials: ["polyester", "recycled polyester"], silhouette: "jacket" },
      { slug: "running-shorts", noun: "Running Shorts", basePrice: 35, formality: 1, sizes: "apparel", materials: ["polyester", "nylon"], silhouette: "shorts" },
    ],
  },
];

export const BRANDS: Array<{ name: string; tier: BrandTier; styles: string[] }> = [
  { name: "Basic Thread", tier: "value", styles: ["casual", "minimalist"] },
  { name: "Urban Loop", tier: "value", styles: ["streetwear", "sporty"] },
  { name: "Daily Grain", tier: "value", styles: ["casual", "classic"] },
  { name: "Kite & Co", tier: "value", styles: ["casual", "bohemian"] },
  { name: "Motion Lab", tier: "value", styles: ["sporty"] },
  { name: "Pennywise Supply", tier: "value", styles: ["workwear", "casual"] },
  { name: "Tidal Goods", tier: "value", styles: ["casual", "sporty"] },
  { name: "Sunday Club", tier: "value", styles: ["preppy", "casual"] },
  { name: "Neon Alley", tier: "value", styles: ["streetwear", "edgy"] },
  { name: "Fern & Field", tier: "value", styles: ["bohemian", "romantic"] },
  { name: "Northbound", tier: "mid", styles: ["workwear", "classic"] },
  { name: "Atelier Nine", tier: "mid", styles: ["minimalist", "classic"] },
  { name: "Rosewater", tier: "mid", styles: ["romantic", "bohemian"] },
  { name: "Concrete Bloom", tier: "mid", styles: ["streetwear", "edgy"] },
  { name: "Harbor Lane", tier: "mid", styles: ["preppy", "classic"] },
  { name: "Second Spin", tier: "mid", styles: ["vintage", "casual"] },
  { name: "Stride Theory", tier: "mid", styles: ["sporty", "streetwear"] },
  { name: "Linen & Lark", tier: "mid", styles: ["bohemian", "minimalist"] },
  { name: "Quarry", tier: "mid", styles: ["workwear", "minimalist"] },
  { name: "Velvet Hour", tier: "mid", styles: ["romantic", "vintage"] },
  { name: "Oxbow", tier: "mid", styles: ["classic", "preppy"] },
  { name: "Static Youth", tier: "mid", styles: ["edgy", "streetwear"] },
  { name: "Maison Arlo", tier: "premium", styles: ["classic", "minimalist"] },
  { name: "Form Studio", tier: "premium", styles: ["minimalist", "avant-garde"] },
  { name: "Wilder Row", tier: "premium", styles: ["bohemian", "vintage"] },
  { name: "Kinfolk Tailoring", tier: "premium", styles: ["classic", "workwear"] },
  { name: "Blackglass", tier: "premium", styles: ["edgy", "avant-garde"] },
  { name: "Coastline Atelier", tier: "premium", styles: ["preppy", "romantic"] },
  { name: "Tempo Athletics", tier: "premium", styles: ["sporty", "minimalist"] },
  { name: "Archive 73", tier: "premium", styles: ["vintage", "streetwear"] },
  { name: "Meridian", tier: "premium", styles: ["classic", "romantic"] },
  { name: "Ironweave", tier: "premium", styles: ["workwear", "edgy"] },
  { name: "Solenne", tier: "premium", styles: ["romantic", "minimalist"] },
  { name: "Casa Verde", tier: "premium", styles: ["bohemian", "casual"] },
  { name: "Maison Valmont", tier: "luxury", styles: ["classic", "romantic"] },
  { name: "Ostara", tier: "luxury", styles: ["avant-garde", "minimalist"] },
  { name: "Castellane", tier: "luxury", styles: ["classic", "preppy"] },
  { name: "Noir Atelier", tier: "luxury", styles: ["edgy", "avant-garde"] },
  { name: "Aurelio Ricci", tier: "luxury", styles: ["classic", "vintage"] },
  { name: "Sable & Stone", tier: "luxury", styles: ["minimalist", "workwear"] },
  { name: "Lune Paris", tier: "luxury", styles: ["romantic", "bohemian"] },
  { name: "Kaito Studio", tier: "luxury", styles: ["avant-garde", "streetwear"] },
  { name: "Peregrine", tier: "luxury", styles: ["sporty", "classic"] },
  { name: "Vantablack", tier: "luxury", styles: ["streetwear", "edgy"] },
];

export const TIER_MULTIPLIER: Record<BrandTier, number> = { value: 0.5, mid: 1, premium: 2.2, luxury: 5.5 };

export const COLORS: Array<{ name: string; hex: string }> = [
  { name: "black", hex: "#1f1f1f" },
  { name: "white", hex: "#f5f5f0" },
  { name: "navy", hex: "#1f2e4d" },
  { name: "gray", hex: "#8a8d91" },
  { name: "charcoal", hex: "#3c3f44" },
  { name: "beige", hex: "#d9c7a7" },
  { name: "camel", hex: "#b7885a" },
  { name: "cream", hex: "#f1e6cf" },
  { name: "olive", hex: "#6b6b3a" },
  { name: "khaki", hex: "#a99b6b" },
  { name: "burgundy", hex: "#6d1f2f" },
  { name: "red", hex: "#c0392b" },
  { name: "pink", hex: "#e8a0b4" },
  { name: "blush", hex: "#f0c8c0" },
  { name: "blue", hex: "#2f6db5" },
  { name: "light blue", hex: "#9cc3e6" },
  { name: "green", hex: "#2e7d4f" },
  { name: "forest green", hex: "#234d32" },
  { name: "brown", hex: "#6b4a2f" },
  { name: "yellow", hex: "#e8c547" },
  { name: "lavender", hex: "#b8a6d9" },
  { name: "orange", hex: "#e07b39" },
  { name: "teal", hex: "#2a8c8c" },
  { name: "silver", hex: "#c0c4c8" },
];

export const PATTERNS = ["solid", "striped", "checked", "floral", "polka dot", "houndstooth", "graphic", "animal print", "camo"];

export const SEASONS = ["spring", "summer", "autumn", "winter"];

/**
 * Style tags in "style wheel" order: neighbours on the wheel are neighbours in taste, which is what
 * places items on the style map (db/seed/style-space.ts).
 */
export const STYLE_WHEEL = [
  "classic",
  "preppy",
  "romantic",
  "bohemian",
  "vintage",
  "casual",
  "sporty",
  "streetwear",
  "edgy",
  "avant-garde",
  "minimalist",
  "workwear",
];

export const ADJECTIVES = [
  "Relaxed",
  "Tailored",
  "Oversized",
  "Cropped",
  "Classic",
  "Essential",
  "Slim",
  "Wide-Leg",
  "Structured",
  "Soft",
  "Everyday",
  "Heritage",
  "Utility",
  "Lightweight",
  "Textured",
  "Washed",
];

export const APPAREL_SIZES = ["XXS", "XS", "S", "M", "L", "XL", "XXL"];
export const WAIST_SIZES = ["26", "27", "28", "29", "30", "31", "32", "33", "34", "36", "38"];
export const SHOE_SIZES = ["EU 36", "EU 37", "EU 38", "EU 39", "EU 40", "EU 41", "EU 42", "EU 43", "EU 44", "EU 45", "EU 46"];

import type { ProductRow } from "../db/repos/catalog";

/**
 * Queries written the way people ask for clothes, each with the rule that makes an item relevant to it,
 * stated on the catalog's attributes. The rule is the judgement: it is what a shopper asking this would
 * accept, not what the search engine happens to do.
 */
export interface Judged {
  q: string;
  rule: string;
  relevant: (p: ProductRow) => boolean;
}

const sub = (...subs: string[]) => (p: ProductRow) => subs.includes(p.subcategory);
const cat = (...cats: string[]) => (p: ProductRow) => cats.includes(p.category);
const color = (c: string) => (p: ProductRow) => p.colors.includes(c);
const material = (m: string) => (p: ProductRow) => p.materials.some((x) => x.includes(m));
const occasion = (o: string) => (p: ProductRow) => p.occasions.includes(o);
const weather = (w: string) => (p: ProductRow) => p.weather.includes(w);
const forDept = (d: "men" | "women") => (p: ProductRow) => p.department === d || p.department === "unisex";
const under = (usd: number) => (p: ProductRow) => p.priceMinor <= usd * 100;
const over = (usd: number) => (p: ProductRow) => p.priceMinor >= usd * 100;
const pattern = (x: string) => (p: ProductRow) => p.pattern === x;
const tier = (...t: string[]) => (p: ProductRow) => t.includes(p.brandTier);
const fit = (f: string) => (p: ProductRow) => p.fit === f;
const length = (l: string) => (p: ProductRow) => p.length === l;
const style = (s: string) => (p: ProductRow) => p.styleTags.includes(s);
const size = (s: string) => (p: ProductRow) => p.sizesInStock.some((x) => x.replace(/^EU /, "") === s);
const not = (f: (p: ProductRow) => boolean) => (p: ProductRow) => !f(p);
const all =
  (...fs: Array<(p: ProductRow) => boolean>) =>
  (p: ProductRow) =>
    fs.every((f) => f(p));
const any =
  (...fs: Array<(p: ProductRow) => boolean>) =>
  (p: ProductRow) =>
    fs.some((f) => f(p));

const outerwear = cat("outerwear");
const coats = sub("coats", "parkas", "trench-coats");
const dresses = cat("dresses");

export const QUERIES: Judged[] = [
  // The table.
  { q: "navy blazer for work", rule: "blazer, navy, worn to work", relevant: all(sub("blazers"), color("navy"), occasion("work")) },
  { q: "black dress for a wedding", rule: "dress or gown, black, wedding-guest", relevant: all(dresses, color("black"), occasion("wedding-guest")) },
  { q: "warm winter coat", rule: "coat, parka or trench, warm", relevant: all(coats, weather("warm")) },
  { q: "comfortable running shoes", rule: "sneakers made for sport", relevant: all(sub("sneakers"), occasion("sport")) },
  { q: "smart casual outfit for the office", rule: "anything worn to work", relevant: occasion("work") },
  { q: "cheap jeans", rule: "jeans from a value brand", relevant: all(sub("jeans"), tier("value")) },
  { q: "something for a beach holiday", rule: "beach/holiday items", relevant: occasion("beach") },
  { q: "leather boots under 150", rule: "leather boots at most $150", relevant: all(sub("boots"), material("leather"), under(150)) },
  { q: "floral midi skirt", rule: "skirt, floral, midi", relevant: all(sub("skirts"), pattern("floral"), length("midi")) },
  { q: "gift for my boyfriend", rule: "men's or unisex", relevant: forDept("men") },
  { q: "waterproof jacket", rule: "outerwear, waterproof", relevant: all(outerwear, weather("waterproof")) },
  { q: "party", rule: "party items", relevant: occasion("party") },
  // Garments, colours, materials.
  { q: "white t-shirt", rule: "t-shirt, white", relevant: all(sub("tshirts"), color("white")) },
  { q: "grey hoodie", rule: "hoodie, gray", relevant: all(sub("hoodies"), color("gray")) },
  { q: "cashmere sweater", rule: "sweater in cashmere", relevant: all(sub("sweaters"), material("cashmere")) },
  { q: "linen shirt", rule: "shirt in linen", relevant: all(sub("shirts"), material("linen")) },
  { q: "silk blouse", rule: "blouse in silk", relevant: all(sub("blouses"), material("silk")) },
  { q: "denim jacket", rule: "jacket in denim", relevant: all(sub("jackets"), material("denim")) },
  { q: "leather jacket", rule: "jacket in leather", relevant: all(sub("jackets"), material("leather")) },
  { q: "camel coat", rule: "coat, camel", relevant: all(coats, color("camel")) },
  { q: "red heels", rule: "heels, red", relevant: all(sub("heels"), color("red")) },
  { q: "white sneakers", rule: "sneakers, white", relevant: all(sub("sneakers"), color("white")) },
  { q: "black jeans", rule: "jeans, black", relevant: all(sub("jeans"), color("black")) },
  { q: "olive chinos", rule: "trousers, olive", relevant: all(sub("trousers"), color("olive")) },
  { q: "striped shirt", rule: "shirt, striped", relevant: all(sub("shirts"), pattern("striped")) },
  { q: "polka dot dress", rule: "dress, polka dot", relevant: all(dresses, pattern("polka dot")) },
  { q: "wool trousers", rule: "trousers in wool", relevant: all(sub("trousers"), material("wool")) },
  { q: "suede loafers", rule: "loafers in suede", relevant: all(sub("loafers"), material("suede")) },
  { q: "straw hat", rule: "hat in straw", relevant: all(sub("hats"), material("straw")) },
  { q: "leather belt", rule: "belt in leather", relevant: all(sub("belts"), material("leather")) },
  { q: "silk scarf", rule: "scarf in silk", relevant: all(sub("scarves"), material("silk")) },
  { q: "light blue shirt", rule: "shirt, light blue", relevant: all(sub("shirts"), color("light blue")) },
  { q: "forest green sweater", rule: "sweater, forest green", relevant: all(sub("sweaters"), color("forest green")) },
  { q: "burgundy velvet blazer", rule: "blazer, burgundy, velvet", relevant: all(sub("blazers"), color("burgundy"), material("velvet")) },
  { q: "maxi dress", rule: "maxi-length dress", relevant: all(dresses, length("maxi")) },
  { q: "mini skirt", rule: "mini skirt", relevant: all(sub("skirts"), length("mini")) },
  { q: "sunglasses", rule: "sunglasses", relevant: sub("sunglasses") },
  { q: "tote bag", rule: "bag", relevant: sub("bags") },
  { q: "trainers", rule: "sneakers", relevant: sub("sneakers") },
  { q: "jumper", rule: "sweater", relevant: sub("sweaters") },
  { q: "pants", rule: "trousers", relevant: sub("trousers") },
  { q: "tee", rule: "t-shirt", relevant: sub("tshirts") },
  // Departments.
  { q: "jackets for men", rule: "jacket, men's or unisex", relevant: all(sub("jackets", "parkas", "track-jackets"), forDept("men")) },
  { q: "women's boots", rule: "boots, women's or unisex", relevant: all(sub("boots"), forDept("women")) },
  { q: "mens shirts", rule: "shirt, men's or unisex", relevant: all(sub("shirts", "polos"), forDept("men")) },
  { q: "sweater for my girlfriend", rule: "sweater, women's or unisex", relevant: all(sub("sweaters"), forDept("women")) },
  { q: "coat for my husband", rule: "coat, men's or unisex", relevant: all(coats, forDept("men")) },
  { q: "hoodie for him", rule: "hoodie, men's or unisex", relevant: all(sub("hoodies"), forDept("men")) },
  // Occasions and weather.
  { q: "outfit for a job interview", rule: "worn to work", relevant: occasion("work") },
  { q: "dress for a cocktail party", rule: "dress for a party", relevant: all(dresses, occasion("party")) },
  { q: "black tie gown", rule: "evening gown", relevant: all(dresses, occasion("evening")) },
  { q: "gym clothes", rule: "made for sport", relevant: occasion("sport") },
  { q: "yoga leggings", rule: "leggings", relevant: sub("leggings") },
  { q: "something comfy to lounge at home", rule: "loungewear", relevant: occasion("lounge") },
  { q: "travel outfit", rule: "travel items", relevant: occasion("travel") },
  { q: "rain jacket", rule: "waterproof outerwear", relevant: all(outerwear, weather("waterproof")) },
  { q: "breathable summer dress", rule: "dress, breathable", relevant: all(dresses, weather("breathable")) },
  { q: "warm sweater", rule: "sweater, warm", relevant: all(sub("sweaters"), weather("warm")) },
  { q: "wedding guest shoes", rule: "shoes for a wedding", relevant: all(cat("shoes"), occasion("wedding-guest")) },
  { q: "beach sandals", rule: "sandals", relevant: sub("sandals") },
  { q: "office trousers for women", rule: "trousers for work, women's or unisex", relevant: all(sub("trousers"), occasion("work"), forDept("women")) },
  { q: "weekend jeans", rule: "jeans", relevant: sub("jeans") },
  { q: "holiday dress", rule: "dress for the beach", relevant: all(dresses, occasion("beach")) },
  { q: "winter boots", rule: "boots", relevant: sub("boots") },
  // Fit.
  { q: "oversized hoodie", rule: "hoodie, oversized", relevant: all(sub("hoodies"), fit("oversized")) },
  { q: "slim fit jeans", rule: "jeans, slim", relevant: all(sub("jeans"), fit("slim")) },
  { q: "wide leg trousers", rule: "trousers, wide-leg", relevant: all(sub("trousers"), fit("wide-leg")) },
  { q: "relaxed linen shirt", rule: "shirt, linen, relaxed", relevant: all(sub("shirts"), material("linen"), fit("relaxed")) },
  // Prices and tiers.
  { q: "dress under $100", rule: "dress at most $100", relevant: all(dresses, under(100)) },
  { q: "sneakers below 80", rule: "sneakers at most $80", relevant: all(sub("sneakers"), under(80)) },
  { q: "coat between 100 and 300", rule: "coat $100–$300", relevant: all(coats, over(100), under(300)) },
  { q: "luxury handbag", rule: "bag from a luxury or premium brand", relevant: all(sub("bags"), tier("luxury", "premium")) },
  { q: "affordable blazer", rule: "blazer from a value brand", relevant: all(sub("blazers"), tier("value")) },
  { q: "designer sunglasses", rule: "sunglasses, luxury or premium", relevant: all(sub("sunglasses"), tier("luxury", "premium")) },
  { q: "shirt over 200", rule: "shirt at least $200", relevant: all(sub("shirts"), over(200)) },
  // Sizes.
  { q: "hoodie in M", rule: "hoodie with M in stock", relevant: all(sub("hoodies"), size("M")) },
  { q: "jeans in 32", rule: "jeans with 32 in stock", relevant: all(sub("jeans"), size("32")) },
  { q: "sneakers size 42", rule: "sneakers with EU 42 in stock", relevant: all(sub("sneakers"), size("42")) },
  // Negation.
  { q: "dress not black", rule: "dress without black", relevant: all(dresses, not(color("black"))) },
  { q: "boots without leather", rule: "boots not in leather", relevant: all(sub("boots"), not(material("leather"))) },
  { q: "jacket no denim", rule: "jacket not in denim", relevant: all(sub("jackets", "parkas", "track-jackets"), not(material("denim"))) },
  // Typos and spelling variants.
  { q: "jakcet", rule: "jacket", relevant: sub("jackets", "track-jackets", "parkas") },
  { q: "swaeter", rule: "sweater", relevant: sub("sweaters") },
  { q: "cashmire scarf", rule: "scarf in cashmere", relevant: all(sub("scarves"), material("cashmere")) },
  { q: "leggins", rule: "leggings", relevant: sub("leggings") },
  { q: "t shirts", rule: "t-shirt", relevant: sub("tshirts") },
  // Styles.
  { q: "minimalist white shirt", rule: "shirt, white", relevant: all(sub("shirts"), color("white")) },
  { q: "bohemian maxi dress", rule: "maxi dress, bohemian", relevant: all(dresses, length("maxi"), style("bohemian")) },
  { q: "edgy leather boots", rule: "boots in leather", relevant: all(sub("boots"), material("leather")) },
  { q: "preppy polo", rule: "polo shirt", relevant: sub("polos") },
  { q: "vintage denim jacket", rule: "jacket in denim", relevant: all(sub("jackets"), material("denim")) },
  // Longer, chattier requests.
  { q: "I need a warm coat for my dad under 300", rule: "coat, warm, men's or unisex, at most $300", relevant: all(coats, weather("warm"), forDept("men"), under(300)) },
  { q: "looking for a summer dress for a beach wedding", rule: "dress for a wedding or the beach", relevant: all(dresses, any(occasion("wedding-guest"), occasion("beach"))) },
  { q: "what can I wear to the gym", rule: "made for sport", relevant: occasion("sport") },
  { q: "show me some cheap sneakers", rule: "sneakers from a value brand", relevant: all(sub("sneakers"), tier("value")) },
  { q: "navy wool coat", rule: "coat, navy, wool", relevant: all(coats, color("navy"), material("wool")) },
];

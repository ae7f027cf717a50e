import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SiteStyleMap } from "@/components/style-map/site-style-map";
import { TrpcProvider } from "@/components/trpc";
import { currentSiteUser } from "@/server/auth/auth0";
import { DEPARTMENTS } from "@/server/catalog/attributes";
import { CATEGORIES } from "@/db/seed/vocabulary";

export const metadata: Metadata = { title: "Style map" };

type Params = Record<string, string | string[] | undefined>;


/** The style map with its filters and view in the URL (?category=&department=&maxPrice=&x=&y=&z=). */
export default async function MapPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  if (!(await currentSiteUser())) redirect(`/signin?returnTo=${encodeURIComponent(`/map${queryString(params)}`)}`);
  const one = (name: string) => {
    const v = params[name];
    return (Array.isArray(v) ? v[0] : v)?.trim() || undefined;
  };
  const number = (name: string, lo: number, hi: number) => {
    const n = Number(one(name));
    return one(name) !== undefined && Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : undefined;
  };
  const department = one("department");
  const filters = {
    ...(one("category") ? { category: [one("category")!] } : {}),
    ...(one("brand") ? { brand: [one("brand")!] } : {}),
    ...(one("color") ? { color: [one("color")!] } : {}),
    ...(department && (DEPARTMENTS as readonly string[]).includes(department) ? { department: [department as (typeof DEPARTMENTS)[number]] } : {}),
    ...(number("minPrice", 0, 1_000_000) !== undefined ? { minPrice: number("minPrice", 0, 1_000_000) } : {}),
    ...(number("maxPrice", 0, 1_000_000) !== undefined ? { maxPrice: number("maxPrice", 0, 1_000_000) } : {}),
  };
  const zoom = Math.round(number("z", -3, 16) ?? 1);
  const x = number("x", -250, 250) ?? 0;
  const y = number("y", -250, 250) ?? 0;
  const half = 150 / 2 ** Math.max(0, zoom);
  const initialView = { viewport: { xmin: x - half, xmax: x + half, ymin: y - half, ymax: y + half }, zoom };
  return (
    <TrpcProvider>
      <h1>Style map</h1>
      <p className="lede">
        The catalog laid out by style: similar pieces sit together. Zoom into a cluster, open an item, rate it, or ask for
        similar styles. Arrow keys pan and + / − zoom once the map has focus.
      </p>
      <form className="map-filters" method="get" action="/map" aria-label="Filter the map">
        <label>
          Category{" "}
          <select name="category" defaultValue={one("category") ?? ""}>
            <option value="">All</option>
            {CATEGORIES.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.name}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          Department{" "}
          <select name="department" defaultValue={department ?? ""}>
            <option value="">All</option>
            {DEPARTMENTS.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          Brand <input name="brand" defaultValue={one("brand") ?? ""} size={12} />
        </label>{" "}
        <label>
          Min $ <input name="minPrice" type="number" min={0} defaultValue={one("minPrice") ?? ""} style={{ width: "5rem" }} />
        </label>{" "}
        <label>
          Max $ <input name="maxPrice" type="number" min={0} defaultValue={one("maxPrice") ?? ""} style={{ width: "5rem" }} />
        </label>{" "}
        <button type="submit">Apply</button>
      </form>
      <SiteStyleMap initialView={initialView} filters={Object.keys(filters).length ? filters : undefined} />
    </TrpcProvider>
  );
}

function queryString(params: Params): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const value of Array.isArray(v) ? v : v ? [v] : []) search.append(k, value);
  const s = search.toString();
  return s ? `?${s}` : "";
}

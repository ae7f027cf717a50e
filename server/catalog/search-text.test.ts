import { describe, expect, it } from "vitest";
import { buildSearchText, normalizeText } from "./search-text";

describe("search text normalisation", () => {
  it.each(["T-Shirt", "t shirt", "tee", "Tees", "TSHIRTS"])("%s becomes tshirt", (word) => {
    expect(normalizeText(word)).toBe("tshirt");
  });

  it("keeps only word characters and drops accents", () => {
    expect(normalizeText("Bouclé  coat!! & 'drop table'")).toBe("boucle coat drop table");
  });

  it("indexes the attributes a shopper types", () => {
    const text = buildSearchText({
      title: "Relaxed Navy Cotton T-Shirt",
      brand: "Basic Thread",
      category: "tops",
      subcategory: "tshirts",
      colors: ["navy"],
      materials: ["organic cotton"],
      pattern: "solid",
      styleTags: ["minimalist"],
      seasons: ["summer"],
    });
    expect(text.split(" ")).toEqual(expect.arrayContaining(["tshirt", "navy", "cotton", "basic", "thread", "minimalist", "summer"]));
  });
});

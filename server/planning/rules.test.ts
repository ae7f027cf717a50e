import { describe, expect, it } from "vitest";
import { outfitProblem } from "./rules";

const piece = (category: string, subcategory: string, weather: string[] = [], formality = 2) => ({ category, subcategory, colors: ["navy"], pattern: "solid", formality, weather });

describe("outfitProblem", () => {
  const base = [piece("tops", "sweaters"), piece("bottoms", "jeans"), piece("shoes", "boots")];

  it("asks a winter outfit for one piece of warm outerwear", () => {
    expect(outfitProblem(base, "winter")).toMatch(/needs one piece of outerwear/);
    expect(outfitProblem([...base, piece("outerwear", "coats", ["warm"])], "winter")).toBeNull();
    expect(outfitProblem([...base, piece("outerwear", "parkas", ["warm", "waterproof"])], "winter")).toBeNull();
    expect(outfitProblem([...base, piece("outerwear", "jackets", [])], "winter")).toMatch(/warm outerwear/);
    expect(outfitProblem([...base, piece("outerwear", "jackets", ["waterproof"])], "winter")).toMatch(/warm outerwear/);
  });

  it("keeps outerwear to winter", () => {
    expect(outfitProblem(base, "autumn")).toBeNull();
    expect(outfitProblem([...base, piece("outerwear", "coats", ["warm"])], "autumn")).toMatch(/only in winter/);
  });
});

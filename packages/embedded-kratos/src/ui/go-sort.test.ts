import { describe, expect, it } from "vitest";
import { goSortSlice, goSortSliceStable } from "./go-sort";

/**
 * Go's sort.Slice and sort.SliceStable (sort/zsortfunc.go pdqsort_func,
 * stable_func). The expected orders were printed by Go 1.19 for the same
 * input and comparison.
 */
describe("Go's sort.Slice and sort.SliceStable", () => {
  // 40 elements keyed i*7 mod 5: many ties, so pdqsort's partitions show.
  const input = Array.from({ length: 40 }, (_, i) => ({ id: i, key: (i * 7) % 5 }));

  it("sort.Slice leaves ties where pdqsort_func does", () => {
    const items = [...input];
    goSortSlice(items, (a, b) => a.key < b.key);
    expect(items.map((e) => e.id)).toEqual(GO_SLICE);
  });

  it("sort.SliceStable keeps ties in order", () => {
    const items = [...input];
    goSortSliceStable(items, (a, b) => a.key < b.key);
    expect(items.map((e) => e.key)).toEqual([...input.map((e) => e.key)].sort((a, b) => a - b));
    expect(items.filter((e) => e.key === 3).map((e) => e.id)).toEqual(input.filter((e) => e.key === 3).map((e) => e.id));
  });

  it("sorts the empty and one-element slices", () => {
    const empty: number[] = [];
    goSortSlice(empty, (a, b) => a < b);
    goSortSliceStable(empty, (a, b) => a < b);
    const one = [1];
    goSortSlice(one, (a, b) => a < b);
    expect([empty, one]).toEqual([[], [1]]);
  });
});

const GO_SLICE = [
  20, 10, 35, 30, 25, 5, 0, 15, 28, 3, 8, 38, 33, 13, 23, 18, 26, 11, 6, 36, 16, 21, 31, 1, 19, 34, 24, 39, 14, 29, 9, 4, 22, 12, 17, 2, 32,
  37, 7, 27,
];

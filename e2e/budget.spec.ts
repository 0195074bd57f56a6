import { expect, test } from "@playwright/test";
import { bundleSizes } from "../bench/build";

// README "Speed": the list's first download (the scripts, preloads and style sheets index.html
// names, plus what it holds inline) is within 95 KB as served with brotli, and the views below
// the list (test a destination, the TLS rules, the forms) load on demand. Read from the build
// `npm test` has just made, as `npm run bench` sizes it.

test("the list's initial JS+CSS is within 95 KB brotli; the other views load on demand", {
  tag: "@embedded",
}, async () => {
  const sizes = await bundleSizes("dist/client");
  expect(sizes.initialBrotli).toBeLessThanOrEqual(95 * 1024);
  const initial = sizes.initial.map((file) => file.file);
  for (const view of ["test-page", "rules-page", "edit-page", "create-page"]) {
    expect(initial.filter((file) => file.includes(`/${view}-`))).toEqual([]);
    expect(sizes.lazy.some((file) => file.file.includes(`/${view}-`))).toBe(true);
  }
});

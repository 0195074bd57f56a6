import { expect, test } from "vitest";
import { RunSlot } from "./run-slot";

// One run at a time: what the two test views (the page's own test, Stalwart's own test)
// rely on when the admin runs again, presses Stop or leaves.

/** A run the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

test("a new run aborts the one under way, which then reports nothing", async () => {
  const slot = new RunSlot();
  const seen: string[] = [];
  const first = deferred<string>();
  let firstRun: { signal: AbortSignal; isCurrent: () => boolean } | undefined;
  slot.start(
    (run) => {
      firstRun = run;
      return first.promise;
    },
    { onDone: (v) => seen.push(`done ${v}`), onError: () => seen.push("error 1") },
  );
  expect(firstRun?.isCurrent()).toBe(true);
  slot.start(async () => "second", {
    onDone: (v) => seen.push(`done ${v}`),
    onError: () => seen.push("error 2"),
  });
  expect(firstRun?.signal.aborted).toBe(true);
  expect(firstRun?.isCurrent()).toBe(false);
  first.resolve("first");
  await settled();
  expect(seen).toEqual(["done second"]);
});

test("cancel aborts the run: its abort error is not reported as a failure", async () => {
  const slot = new RunSlot();
  const seen: string[] = [];
  const run = deferred<string>();
  let signal: AbortSignal | undefined;
  slot.start(
    (context) => {
      signal = context.signal;
      context.signal.addEventListener("abort", () => run.reject(new Error("aborted")));
      return run.promise;
    },
    { onDone: () => seen.push("done"), onError: () => seen.push("error") },
  );
  expect(slot.cancel()).toBe(true);
  expect(signal?.aborted).toBe(true);
  await settled();
  expect(seen).toEqual([]);
  // Nothing under way any more.
  expect(slot.cancel()).toBe(false);
});

test("a failure of the current run is reported, a synchronous throw too, and the slot is free again", async () => {
  const slot = new RunSlot();
  const errors: unknown[] = [];
  slot.start(() => Promise.reject(new Error("503")), {
    onDone: () => undefined,
    onError: (error) => errors.push(error),
  });
  await settled();
  slot.start(
    () => {
      throw new Error("bad target");
    },
    { onDone: () => undefined, onError: (error) => errors.push(error) },
  );
  await settled();
  expect(errors.map((e) => (e as Error).message)).toEqual(["503", "bad target"]);
  expect(slot.cancel()).toBe(false);
});

// What the bench puts in every document before its scripts run (benchInit, serialized by
// Playwright: it cannot call anything of this module), and the state it keeps there for the
// measures to read.

/** The first strategy name link in the table (the selector time to rows waits for). */
export const ROW_LINK = 'table a[href*="/tls-strategies/"]';
/** What the page's keys in sessionStorage begin with. */
export const STORAGE_PREFIX = "stalwart-tls-strategies.";

/** What the init script keeps in each document, in ms from the start of its navigation. */
export interface BenchState {
  /** When the first strategy name link was in the table's DOM. */
  rowsAt?: number;
  longTasks: { startTime: number; duration: number }[];
  /** `timeStamp` of the last pointerdown and click events (capturing, on window). */
  pointerDownAt?: number;
  clickAt?: number;
  /** When each watch's condition first held. */
  marks: Record<string, number>;
  /** The first text with "Loading" a watch saw added while it waited, if any. */
  sawLoading: Record<string, string>;
  /** Whether a watch saw its row with another description before the expected one. */
  sawStale: Record<string, boolean>;
  /** Until the edit form's Name and Description fields hold these values. */
  watchForm: (name: string, description: string) => void;
  /** Until the list row of `name` shows `description`. */
  watchRow: (name: string, description: string) => void;
}

/**
 * The page's state, for functions that run in the page (serialized: they cannot call a
 * helper of this file).
 */
export type BenchWindow = { __bench?: BenchState };

/**
 * Runs before any script of each document: a fresh tab (no credentials yet) gets only the
 * credentials sign-in leaves, and nothing else this page keeps in sessionStorage (no cached
 * session); a reloaded tab keeps what it had. Then the observers the measures read.
 */
export function benchInit({
  password,
  rowLink,
  prefix,
}: {
  password: string;
  rowLink: string;
  prefix: string;
}) {
  const credentialsKey = `${prefix}credentials`;
  if (!sessionStorage.getItem(credentialsKey)) {
    for (const key of Object.keys(sessionStorage))
      if (key.startsWith(prefix)) sessionStorage.removeItem(key);
    sessionStorage.setItem(
      credentialsKey,
      JSON.stringify({ kind: "basic", username: "admin", password }),
    );
  }
  const state: Omit<BenchState, "watchForm" | "watchRow"> = {
    longTasks: [],
    marks: {},
    sawLoading: {},
    sawStale: {},
  };
  new MutationObserver((_, observer) => {
    if (document.querySelector(rowLink)) {
      state.rowsAt = performance.now();
      observer.disconnect();
      // Tells the bench without it polling the page (measureLoad).
      (window as unknown as { benchRowsShown?: () => void }).benchRowsShown?.();
    }
  }).observe(document, { childList: true, subtree: true });
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        state.longTasks.push({ startTime: entry.startTime, duration: entry.duration });
    }).observe({ type: "longtask", buffered: true });
  } catch {
    // No Long Tasks API: no long tasks are counted.
  }
  addEventListener(
    "pointerdown",
    (event) => {
      state.pointerDownAt = event.timeStamp;
    },
    true,
  );
  addEventListener(
    "click",
    (event) => {
      state.clickAt = event.timeStamp;
    },
    true,
  );
  /**
   * Records when `check` first holds: checked on every batch of DOM mutations, and in a
   * setTimeout(0) loop for values that change without a mutation (an input's .value). Gives
   * up after 30 s.
   */
  const watch = (key: string, check: () => boolean) => {
    delete state.marks[key];
    delete state.sawLoading[key];
    delete state.sawStale[key];
    const until = performance.now() + 30_000;
    let isDone = false;
    const finish = () => {
      if (isDone) return;
      if (check()) {
        state.marks[key] = performance.now();
        isDone = true;
        observer.disconnect();
      } else if (performance.now() > until) {
        isDone = true;
        observer.disconnect();
      }
    };
    const observer = new MutationObserver((records) => {
      if (!(key in state.sawLoading)) {
        for (const record of records)
          for (const node of record.addedNodes) {
            const text = node.textContent ?? "";
            if (text.includes("Loading")) state.sawLoading[key] = text.trim().slice(0, 80);
          }
      }
      finish();
    });
    observer.observe(document, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
    });
    const poll = () => {
      finish();
      if (!isDone) setTimeout(poll, 0);
    };
    setTimeout(poll, 0);
  };
  /** The control of the label that reads exactly `text`, as getByLabel(text, {exact}) finds. */
  const fieldValue = (text: string) => {
    for (const label of document.querySelectorAll("label")) {
      if (label.textContent?.trim() !== text) continue;
      const control = label.control;
      if (control instanceof HTMLInputElement || control instanceof HTMLTextAreaElement)
        return control.value;
    }
    return undefined;
  };
  (window as unknown as BenchWindow).__bench = Object.assign(state, {
    watchForm: (name: string, description: string) =>
      watch("form", () => fieldValue("Name") === name && fieldValue("Description") === description),
    watchRow: (name: string, description: string) =>
      watch("row", () => {
        for (const link of document.querySelectorAll(rowLink)) {
          if (link.textContent?.trim() !== name && link.getAttribute("title") !== name) continue;
          if (link.closest("tr")?.textContent?.includes(description)) return true;
          state.sawStale.row = true;
        }
        return false;
      }),
  });
}

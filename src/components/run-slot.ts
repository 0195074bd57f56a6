import { useEffect, useRef } from "react";

// One streamed run at a time (the page's destination test, Stalwart's own test): a new run
// aborts the one under way, Stop aborts it, leaving the view aborts it, and whatever a run
// that is no longer the current one reports is dropped. Plain code under a small hook, so that
// each test view only says what its run does, not how runs replace each other.

/** What a run is told: its signal, and whether it is still the current run. */
export interface RunContext {
  signal: AbortSignal;
  /** False once another run started, `cancel()` was called or the view went away. */
  isCurrent: () => boolean;
}

export class RunSlot {
  private current: AbortController | null = null;

  /**
   * Starts `work`, aborting the run under way first. `onDone` gets its value and `onError` its
   * failure, each only while it is still the current run; a run that was aborted (a new run,
   * `cancel()`) reports nothing. Returns at once; `work` is called synchronously.
   */
  start<T>(
    work: (run: RunContext) => Promise<T>,
    handlers: { onDone: (value: T) => void; onError: (error: unknown) => void },
  ): void {
    this.current?.abort();
    const own = new AbortController();
    this.current = own;
    const isCurrent = () => this.current === own;
    let running: Promise<T>;
    try {
      running = work({ signal: own.signal, isCurrent });
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      (value) => {
        if (!isCurrent()) return;
        this.current = null;
        handlers.onDone(value);
      },
      (error: unknown) => {
        if (!isCurrent() || own.signal.aborted) return;
        this.current = null;
        handlers.onError(error);
      },
    );
  }

  /** Aborts the run under way; true when there was one. */
  cancel(): boolean {
    const had = this.current !== null;
    this.current?.abort();
    this.current = null;
    return had;
  }
}

/** A RunSlot for the life of a component: its run is aborted when the component goes away. */
export function useRunSlot(): RunSlot {
  const slot = useRef<RunSlot | null>(null);
  slot.current ??= new RunSlot();
  useEffect(() => {
    const own = slot.current;
    return () => {
      own?.cancel();
    };
  }, []);
  return slot.current;
}

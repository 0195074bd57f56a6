import { useCallback, useState } from "react";
import { useRunSlot } from "../../components/run-slot";
import { authorizationHeader } from "../../jmap/authorization";
import type { JmapClient } from "../../jmap/client";
import { TransportError, UnauthorizedError } from "../../jmap/errors";
import { LiveForbiddenError, runLiveTest } from "../../stalwart/delivery/live/client";
import type { LiveEvent } from "../../stalwart/delivery/live/events";
import { ProbeBusyError, ProbeTargetError } from "../../stalwart/delivery/probe-client";

// Stalwart's own live delivery test as React state: the events so far, the frames not
// understood, and why it failed. One run at a time; it stops on Stop, on a new run, or when
// the view goes away.

export interface StalwartTestState {
  phase: "idle" | "running" | "finished";
  events: LiveEvent[];
  /** Frames that were not valid events (shown, never fatal); the last 20. */
  invalidEvents: string[];
  problem: string | null;
  /** The admin pressed Stop. */
  isStopped: boolean;
}

const IDLE: StalwartTestState = {
  phase: "idle",
  events: [],
  invalidEvents: [],
  problem: null,
  isStopped: false,
};

function problemText(error: unknown): string {
  if (error instanceof LiveForbiddenError || error instanceof ProbeTargetError)
    return error.message;
  if (error instanceof ProbeBusyError)
    return `${error.message} Try again in ${error.retryAfterSeconds} s.`;
  if (error instanceof UnauthorizedError)
    return "The server refused the credentials (or the test's token expired). Sign in again.";
  if (error instanceof TransportError) return error.message;
  return "Stalwart's test failed unexpectedly. Try again.";
}

/**
 * `run(target)` starts Stalwart's own test for a domain or address (stopping one under way),
 * `stop()` stops it. `withReauthentication` (session/auth.tsx) asks for credentials again on
 * a 401 and runs the request once more.
 */
export function useStalwartTest(
  client: JmapClient,
  withReauthentication: <T>(action: () => Promise<T>) => Promise<T>,
) {
  const [state, setState] = useState<StalwartTestState>(IDLE);
  const slot = useRunSlot();

  const stop = useCallback(() => {
    slot.cancel();
    setState((current) =>
      current.phase === "running" ? { ...current, phase: "finished", isStopped: true } : current,
    );
  }, [slot]);

  const run = useCallback(
    (target: string) => {
      setState({ ...IDLE, phase: "running" });
      slot.start(
        ({ signal, isCurrent }) =>
          withReauthentication(() =>
            runLiveTest({
              target,
              authorization: authorizationHeader(client.credentials),
              signal,
              onEvent: (event) => {
                if (isCurrent())
                  setState((current) => ({ ...current, events: [...current.events, event] }));
              },
              onInvalidEvent: (message) => {
                if (isCurrent())
                  setState((current) => ({
                    ...current,
                    invalidEvents: [...current.invalidEvents, message].slice(-20),
                  }));
              },
            }),
          ),
        {
          onDone: (isCompleted) =>
            setState((current) => ({
              ...current,
              phase: "finished",
              problem: isCompleted ? null : "Stalwart's test ended before it completed.",
            })),
          onError: (error) =>
            setState((current) => ({ ...current, phase: "finished", problem: problemText(error) })),
        },
      );
    },
    [client, withReauthentication, slot],
  );

  return { state, run, stop };
}

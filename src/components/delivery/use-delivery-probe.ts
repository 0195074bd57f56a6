import { useCallback, useState } from "react";
import { authorizationHeader } from "../../jmap/authorization";
import type { JmapClient } from "../../jmap/client";
import { TransportError, UnauthorizedError } from "../../jmap/errors";
import type { DeliveryFacts, Target } from "../../stalwart/delivery/facts";
import { applyFrame } from "../../stalwart/delivery/frames";
import {
  ProbeBusyError,
  ProbeForbiddenError,
  ProbeTargetError,
  probeDelivery,
} from "../../stalwart/delivery/probe-client";
import { useRunSlot } from "../run-slot";

// One destination test at a time, as React state: the facts so far, the step under way, and
// why it failed. The test stops when the admin presses Stop, starts another, or leaves.

export type ProbeProblem =
  | { kind: "target"; message: string }
  | { kind: "forbidden"; message: string }
  | { kind: "busy"; message: string }
  | { kind: "failed"; message: string };

export interface ProbeState {
  phase: "idle" | "running" | "finished";
  target: Target | null;
  facts: DeliveryFacts | null;
  /** The `step` frame last received, while running. */
  step: string | null;
  problem: ProbeProblem | null;
  /** Lines of the answer that were not valid frames (shown, never fatal). */
  invalidFrames: string[];
  /** The stream ended without its `done` frame. */
  isCutShort: boolean;
}

const IDLE: ProbeState = {
  phase: "idle",
  target: null,
  facts: null,
  step: null,
  problem: null,
  invalidFrames: [],
  isCutShort: false,
};

function problemOf(error: unknown): ProbeProblem {
  if (error instanceof ProbeTargetError) return { kind: "target", message: error.message };
  if (error instanceof ProbeForbiddenError) return { kind: "forbidden", message: error.message };
  if (error instanceof ProbeBusyError)
    return {
      kind: "busy",
      message: `${error.message} Try again in ${error.retryAfterSeconds} second${error.retryAfterSeconds === 1 ? "" : "s"}.`,
    };
  if (error instanceof UnauthorizedError)
    return { kind: "failed", message: "Your sign-in is no longer valid. Sign in again." };
  if (error instanceof TransportError) return { kind: "failed", message: error.message };
  return { kind: "failed", message: "The test failed unexpectedly. Try again." };
}

/**
 * `run(target)` starts a test (stopping one under way), `stop()` stops it. `withReauthentication`
 * (session/auth.tsx) asks for credentials again on a 401 and runs the request once more.
 */
export function useDeliveryProbe(
  client: JmapClient,
  withReauthentication: <T>(action: () => Promise<T>) => Promise<T>,
) {
  const [state, setState] = useState<ProbeState>(IDLE);
  const slot = useRunSlot();

  const stop = useCallback(() => {
    slot.cancel();
    setState((current) =>
      current.phase === "running"
        ? {
            ...current,
            phase: "finished",
            step: null,
            facts: current.facts
              ? { ...current.facts, status: "stopped", stopReason: "stopped by you" }
              : null,
          }
        : current,
    );
  }, [slot]);

  const run = useCallback(
    (target: Target) => {
      setState({ ...IDLE, phase: "running", target });
      slot.start(
        ({ signal, isCurrent }) =>
          withReauthentication(() =>
            probeDelivery({
              target: target.address ?? target.domain,
              authorization: authorizationHeader(client.credentials),
              signal,
              onFrame: (frame) => {
                if (!isCurrent()) return;
                setState((current) => ({
                  ...current,
                  step: frame.type === "step" ? frame.text : current.step,
                  problem:
                    frame.type === "error"
                      ? { kind: "failed", message: frame.text }
                      : current.problem,
                  facts:
                    frame.type === "start"
                      ? frame.facts
                      : current.facts
                        ? applyFrame(current.facts, frame)
                        : null,
                }));
              },
              onInvalidFrame: (message) => {
                if (isCurrent())
                  setState((current) => ({
                    ...current,
                    invalidFrames: [...current.invalidFrames, message].slice(-20),
                  }));
              },
            }),
          ),
        {
          onDone: (isDone) =>
            setState((current) => ({
              ...current,
              phase: "finished",
              step: null,
              isCutShort: !isDone,
              // Without its `done` frame nothing more will come: what is missing stays unknown.
              facts:
                !isDone && current.facts?.status === "collecting"
                  ? { ...current.facts, status: "stopped", stopReason: "the answer ended early" }
                  : current.facts,
            })),
          onError: (error) =>
            setState((current) => ({
              ...current,
              phase: "finished",
              step: null,
              problem: problemOf(error),
            })),
        },
      );
    },
    [client, withReauthentication, slot],
  );

  return { state, run, stop };
}

import {
  type Ref,
  Suspense,
  startTransition,
  use,
  useCallback,
  useImperativeHandle,
  useRef,
  useState,
} from "react";
import { LoadBoundary } from "../../../components/load-boundary";
import { editPage } from "./pages";

/**
 * A render of a strategy's edit page that is never committed: nothing of it reaches the
 * document, no effect runs, no request is sent that the hover did not send already. React
 * renders the page in a transition, then meets `unfinished`, a promise that never settles, and
 * keeps its fallback (nothing) instead. What is left is warm: V8 has compiled the page's code
 * and the parts of React, TanStack Query and react-hook-form it runs, so the click only has to
 * render and commit (docs/decisions/first-paint-and-opening.md: click → form). Components
 * render without side effects (they pass React's StrictMode double render), which is what
 * makes a render that is thrown away safe. An error in it is caught here and shows nothing.
 */
function Rehearsed({ id, unfinished }: { id: string; unfinished: Promise<never> }) {
  const { TlsStrategyEditPage } = editPage.read();
  return (
    <>
      <TlsStrategyEditPage id={id} />
      <Unfinished promise={unfinished} />
    </>
  );
}

function Unfinished({ promise }: { promise: Promise<never> }): null {
  use(promise);
  return null;
}

interface Stage {
  rehearse: (id: string) => void;
}

/** Holds the rehearsal: only this re-renders when the pointer moves to another name. */
function RehearsalStage({ stage }: { stage: Ref<Stage> }) {
  const [rehearsal, setRehearsal] = useState<{ id: string; unfinished: Promise<never> } | null>(
    null,
  );
  useImperativeHandle(
    stage,
    () => ({
      rehearse: (id) =>
        startTransition(() =>
          setRehearsal((current) =>
            current?.id === id ? current : { id, unfinished: new Promise<never>(() => {}) },
          ),
        ),
    }),
    [],
  );
  if (!rehearsal) return null;
  return (
    <LoadBoundary fallback={null}>
      <Suspense fallback={null}>
        <Rehearsed id={rehearsal.id} unfinished={rehearsal.unfinished} />
      </Suspense>
    </LoadBoundary>
  );
}

/**
 * The list's rehearsal of the edit page a pointer rests on: `rehearse(id)` (stable; from a
 * row's hover or press), and `element`, rendered once anywhere in the list. Each rehearsal has
 * its own never-settling promise, dropped with it.
 */
export function useEditPageRehearsal() {
  const stage = useRef<Stage>(null);
  const rehearse = useCallback((id: string) => stage.current?.rehearse(id), []);
  return { rehearse, element: <RehearsalStage stage={stage} /> };
}

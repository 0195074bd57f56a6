import { lazy, Suspense } from "react";
import { usePermissions } from "../../../session/permissions";
import type { DestinationTestProps } from "./destination-test";

/** The destination test (its probe client, facts and decide.ts): loaded when the form shows. */
const DestinationTest = lazy(() =>
  import("./destination-test").then((m) => ({ default: m.DestinationTest })),
);

/** The form's "Test against a destination", offered only to who may run it (liveDeliveryTest). */
export function DestinationSlot(props: DestinationTestProps) {
  const permissions = usePermissions();
  if (!permissions.canTestDelivery) return null;
  return (
    <Suspense fallback={null}>
      <DestinationTest {...props} />
    </Suspense>
  );
}

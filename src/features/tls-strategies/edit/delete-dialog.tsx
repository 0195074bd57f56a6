import { useState } from "react";
import { ConfirmDialog } from "../../../components/confirm-dialog";
import { describeError } from "../../../components/describe-error";
import { TypeToConfirm } from "../../../components/field";
import { QuotedName } from "../../../components/shown-text";
import { isTypedName } from "../../../components/typed-name";
import { UsedByRules } from "../../../components/used-by-rules";
import { SetObjectError } from "../../../jmap/errors";
import { TLS_STRATEGY_PERMISSIONS } from "../../../jmap/protocol";
import { useJmapClient, useWithReauthentication } from "../../../session/auth";
import type { TlsUsage } from "../../../stalwart/outbound-strategy";
import type { TlsStrategy } from "../../../stalwart/tls-strategy";
import { useDestroyTlsStrategies } from "../data/destroy";
import { lastListView } from "../data/last-list-view";
import { useLeaveWith } from "../form/flash";

/**
 * Confirms deleting `strategy` from its form, and deletes it: the form is left for the list
 * once it is gone. A strategy the outbound strategy picks by name (`usage`), or whose use is
 * unknown, is deleted only once its name is typed (README, "Where a strategy is used").
 * Mount it anew (a new `key`) for each opening: what was typed and any error start empty.
 */
export function DeleteDialog({
  isOpen,
  strategy,
  usage,
  onClose,
}: {
  isOpen: boolean;
  strategy: TlsStrategy;
  usage: TlsUsage | undefined;
  onClose: () => void;
}) {
  const client = useJmapClient();
  const withReauthentication = useWithReauthentication();
  const destroy = useDestroyTlsStrategies(client);
  const leaveWith = useLeaveWith();
  const [typedName, setTypedName] = useState<Record<string, string>>({});
  const isUsed = usage?.isKnown === true && usage.names.has(strategy.name);
  // Deleting it is confirmed by typing its name unless it is known to be unused.
  const needsTypedName = !(usage?.isKnown && !isUsed);
  const destroyError = destroy.isError
    ? describeError(destroy.error, { permission: TLS_STRATEGY_PERMISSIONS.destroy })
    : destroy.data?.failed[0]
      ? describeError(new SetObjectError(destroy.data.failed[0].error, "destroy", strategy.id))
      : null;

  return (
    <ConfirmDialog
      isOpen={isOpen}
      title={
        <>
          Delete <QuotedName name={strategy.name} />?
        </>
      }
      confirmLabel="Delete"
      pendingLabel="Deleting…"
      isPending={destroy.isPending}
      isConfirmBlocked={needsTypedName && !isTypedName(typedName[strategy.name], strategy.name)}
      error={destroyError}
      onCancel={onClose}
      onConfirm={() => {
        const startedAt = window.location.href;
        void withReauthentication(() =>
          destroy.mutateAsync({
            ids: [strategy.id],
            names: new Map([[strategy.id, strategy.name]]),
            refresh: lastListView(),
          }),
        )
          .then(({ failed }) => {
            if (failed.length === 0)
              leaveWith({ before: "Deleted ", name: strategy.name, after: ".", startedAt });
          })
          .catch(() => undefined);
      }}
    >
      {isUsed ? (
        <div className="finding finding-warning">
          <p>
            <strong>Warning: </strong>the outbound strategy picks{" "}
            <QuotedName name={strategy.name} /> by name, in these TLS rules:
          </p>
          <UsedByRules usage={usage} name={strategy.name} />
          <p>
            Once it is deleted, delivery that would use it silently falls back to Stalwart's
            built-in TLS defaults, on every message those rules pick it for.
          </p>
        </div>
      ) : usage?.isKnown ? null : (
        <p className="finding finding-warning">
          <strong>Warning: </strong>whether the outbound strategy picks{" "}
          <QuotedName name={strategy.name} /> by name is not known
          {usage ? ` (${usage.reason})` : ""}. If it does, delivery that would use it silently falls
          back to Stalwart's built-in TLS defaults.
        </p>
      )}
      {needsTypedName ? (
        <TypeToConfirm
          names={[strategy.name]}
          typed={typedName}
          onType={(name, value) => setTypedName({ [name]: value })}
        />
      ) : null}
      <p>
        The TLS strategy <QuotedName name={strategy.name} /> will be deleted. This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}

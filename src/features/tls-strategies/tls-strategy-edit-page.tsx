import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useLocation } from "wouter";
import {
  type Permissions,
  useJmapClient,
  usePermissions,
  useWithReauthentication,
} from "../../app/auth";
import { releaseUnsavedChangesGuard } from "../../app/navigation-guard";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { Notice } from "../../components/notice";
import { describeError } from "../../jmap/describe-error";
import { SetObjectError } from "../../jmap/errors";
import { TLS_STRATEGY_PERMISSIONS } from "../../jmap/protocol";
import {
  changedProperties,
  type TlsStrategyFormOutput,
  type TlsStrategyPatch,
  toFormValues,
} from "./form-schema";
import { lastListPath, lastListView } from "./last-list-view";
import { duplicatePath } from "./paths";
import {
  fetchTlsStrategy,
  outboundQueries,
  type TlsUsage,
  tlsStrategyQueries,
  useCreateTlsStrategy,
  useDestroyTlsStrategies,
  useUpdateTlsStrategy,
} from "./queries";
import { FIELDS, type TlsStrategy } from "./schema";
import { displayValue, TlsStrategyForm } from "./tls-strategy-form";

export function TlsStrategyEditPage({ id }: { id: string }) {
  const client = useJmapClient();
  const permissions = usePermissions();
  // The form always starts from a fresh read, never from a cached copy that someone may
  // have changed since: editing a stale version would overwrite their change.
  const detail = useQuery({ ...tlsStrategyQueries.detail(client, id), refetchOnMount: "always" });
  const usage = useQuery(outboundQueries.tlsUsage(client));

  if (detail.isPending || (!detail.isFetchedAfterMount && detail.isFetching)) {
    return (
      <p role="status" className="placeholder">
        <title>Loading… · TLS Strategies · Stalwart</title>
        Loading strategy…
      </p>
    );
  }
  if (detail.isError) {
    return (
      <Notice tone="error">
        <p>
          Could not load this strategy.{" "}
          {describeError(detail.error, { permission: TLS_STRATEGY_PERMISSIONS.get })}
        </p>
        <button type="button" className="button" onClick={() => detail.refetch()}>
          Try again
        </button>
      </Notice>
    );
  }
  if (!detail.data) {
    return (
      <section className="placeholder">
        <title>Strategy not found · TLS Strategies · Stalwart</title>
        <h2>Strategy not found</h2>
        <p>There is no TLS strategy with the id “{id}”. It may have been deleted.</p>
        <Link href={lastListPath()}>Back to TLS Strategies</Link>
      </section>
    );
  }
  // Keyed by id so that moving to another strategy starts a fresh form.
  return (
    <EditStrategy
      key={detail.data.id}
      strategy={detail.data}
      permissions={permissions}
      usage={usage.data}
    />
  );
}

/** A field changed both here and by someone else since the form was loaded. */
interface Clash {
  key: keyof TlsStrategyPatch;
  loaded: unknown;
  theirs: unknown;
  mine: unknown;
}

type Decision =
  | { kind: "clashes"; clashes: Clash[] }
  | { kind: "deleted"; values: TlsStrategyFormOutput };

function EditStrategy({
  strategy,
  permissions,
  usage,
}: {
  strategy: TlsStrategy;
  permissions: Permissions;
  usage: TlsUsage | undefined;
}) {
  const client = useJmapClient();
  const [, navigate] = useLocation();
  const withReauthentication = useWithReauthentication();
  const queryClient = useQueryClient();
  const update = useUpdateTlsStrategy(client);
  const create = useCreateTlsStrategy(client);
  const destroy = useDestroyTlsStrategies(client);
  const [isConfirmingDelete, setIsConfirmingDelete] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [decision, setDecision] = useState<
    | (Decision & {
        resolve: (answer: Record<string, "theirs" | "mine"> | "recreate" | null) => void;
      })
    | null
  >(null);
  const [choices, setChoices] = useState<Record<string, "theirs" | "mine">>({});
  // The version the form was loaded from: what "changed meanwhile" is measured against.
  const [loaded] = useState(strategy);
  const isUsed = usage?.isKnown === true && usage.names.has(loaded.name);
  const isReadOnly = !permissions.canUpdate;

  const leaveWith = (message: string) => {
    releaseUnsavedChangesGuard();
    navigate(lastListPath(), { state: { notice: message } });
  };

  const ask = (next: Decision) =>
    new Promise<Record<string, "theirs" | "mine"> | "recreate" | null>((resolve) => {
      if (next.kind === "clashes")
        setChoices(Object.fromEntries(next.clashes.map((c) => [c.key, "mine"])));
      setDecision({ ...next, resolve });
    });

  /**
   * Saves only what this admin changed. The server has no ifInState (shared wire reference
   * §5), so the strategy is read again first: a field someone else changed is kept unless
   * this admin changed it too, and then the admin decides. At most two requests.
   */
  const save = async (values: TlsStrategyFormOutput) => {
    const patch = changedProperties(loaded, values);
    if (Object.keys(patch).length === 0) {
      setNotice("Nothing to save: these values are the ones already stored.");
      return;
    }
    const current = await fetchTlsStrategy(client, loaded.id);
    if (current === null) {
      const answer = await ask({ kind: "deleted", values });
      setDecision(null);
      if (answer !== "recreate") return;
      await create.mutateAsync({
        strategy: { ...values, name: loaded.name },
        refresh: lastListView(),
      });
      leaveWith(`Created “${loaded.name}” again with your values.`);
      return;
    }
    const clashes: Clash[] = [];
    for (const key of Object.keys(patch) as (keyof TlsStrategyPatch)[]) {
      if (current[key] !== loaded[key] && current[key] !== patch[key]) {
        clashes.push({ key, loaded: loaded[key], theirs: current[key], mine: patch[key] });
      }
    }
    let finalPatch: TlsStrategyPatch = patch;
    if (clashes.length > 0) {
      const answer = await ask({ kind: "clashes", clashes });
      setDecision(null);
      if (answer === null || answer === "recreate") return;
      finalPatch = Object.fromEntries(
        Object.entries(patch).filter(([key]) => answer[key] !== "theirs"),
      ) as TlsStrategyPatch;
    }
    if (Object.keys(finalPatch).length === 0) {
      // The list may still show the version from before their change.
      await queryClient.invalidateQueries({ queryKey: tlsStrategyQueries.all() });
      leaveWith(`Kept the other admin's values for “${loaded.name}”; nothing else needed saving.`);
      return;
    }
    await update.mutateAsync({ id: loaded.id, patch: finalPatch, refresh: lastListView() });
    leaveWith(`Saved “${loaded.name}”.`);
  };

  const destroyError = destroy.isError
    ? describeError(destroy.error, { permission: TLS_STRATEGY_PERMISSIONS.destroy })
    : destroy.data?.failed[0]
      ? describeError(new SetObjectError(destroy.data.failed[0].error, "destroy", loaded.id))
      : null;

  return (
    <section aria-labelledby="edit-heading">
      <title>{`${loaded.name} · TLS Strategies · Stalwart`}</title>
      <div className="toolbar">
        <h2 id="edit-heading">
          {isReadOnly ? "" : "Edit "}“{loaded.name}”
        </h2>
        {permissions.canCreate ? (
          <Link href={duplicatePath(loaded.id)} className="button">
            Duplicate
          </Link>
        ) : null}
      </div>
      <UsageNotice name={loaded.name} usage={usage} />
      {isReadOnly && permissions.isKnown ? (
        <Notice tone="info">
          You can view this strategy but not change it: your account lacks the “
          {TLS_STRATEGY_PERMISSIONS.update}” permission.
        </Notice>
      ) : null}
      {notice ? <Notice tone="info">{notice}</Notice> : null}
      <TlsStrategyForm
        mode="edit"
        defaultValues={toFormValues(loaded)}
        baseline={loaded}
        isReadOnly={isReadOnly}
        permission={TLS_STRATEGY_PERMISSIONS.update}
        onSubmit={save}
        actions={
          permissions.canDestroy ? (
            <button
              type="button"
              className="button button-danger"
              onClick={() => {
                destroy.reset();
                setIsConfirmingDelete(true);
              }}
            >
              Delete
            </button>
          ) : null
        }
      />

      <ConfirmDialog
        isOpen={isConfirmingDelete}
        title={`Delete “${loaded.name}”?`}
        confirmLabel="Delete"
        pendingLabel="Deleting…"
        isPending={destroy.isPending}
        error={destroyError}
        onCancel={() => setIsConfirmingDelete(false)}
        onConfirm={() =>
          void withReauthentication(() =>
            destroy.mutateAsync({ ids: [loaded.id], refresh: lastListView() }),
          )
            .then(({ failed }) => {
              if (failed.length === 0) leaveWith(`Deleted “${loaded.name}”.`);
            })
            .catch(() => undefined)
        }
      >
        {isUsed ? (
          <p className="finding finding-warning">
            <strong>Warning: </strong>the outbound strategy picks “{loaded.name}” by name. Once it
            is deleted, delivery that would use it silently falls back to Stalwart's built-in TLS
            defaults.
          </p>
        ) : null}
        <p>The TLS strategy “{loaded.name}” will be deleted. This cannot be undone.</p>
      </ConfirmDialog>

      <ConfirmDialog
        isOpen={decision?.kind === "clashes"}
        title="Someone else changed this strategy"
        confirmLabel="Save"
        cancelLabel="Cancel"
        tone="primary"
        onConfirm={() => decision?.resolve(choices)}
        onCancel={() => decision?.resolve(null)}
      >
        <p>
          Since you opened it, these fields were changed by someone else as well as by you. Choose,
          for each, which value to keep. Your other changes are saved as they are.
        </p>
        {decision?.kind === "clashes"
          ? decision.clashes.map((clash) => (
              <fieldset key={clash.key} className="clash">
                <legend>{FIELDS[clash.key].label}</legend>
                <p className="muted">When you opened it: {displayValue(clash.key, clash.loaded)}</p>
                <label>
                  <input
                    type="radio"
                    name={`clash-${clash.key}`}
                    checked={choices[clash.key] === "theirs"}
                    onChange={() => setChoices((c) => ({ ...c, [clash.key]: "theirs" }))}
                  />{" "}
                  Keep theirs: {displayValue(clash.key, clash.theirs)}
                </label>
                <label>
                  <input
                    type="radio"
                    name={`clash-${clash.key}`}
                    checked={choices[clash.key] === "mine"}
                    onChange={() => setChoices((c) => ({ ...c, [clash.key]: "mine" }))}
                  />{" "}
                  Keep mine: {displayValue(clash.key, clash.mine)}
                </label>
              </fieldset>
            ))
          : null}
      </ConfirmDialog>

      <ConfirmDialog
        isOpen={decision?.kind === "deleted"}
        title={`“${loaded.name}” was deleted`}
        confirmLabel="Create it again with my values"
        cancelLabel="Keep editing"
        tone="primary"
        onConfirm={() => decision?.resolve("recreate")}
        onCancel={() => decision?.resolve(null)}
      >
        <p>
          Someone deleted this strategy while you were editing it. You can create it again, under
          the same name, with the values in your form.
        </p>
      </ConfirmDialog>
    </section>
  );
}

export function UsageNotice({ name, usage }: { name: string; usage: TlsUsage | undefined }) {
  if (!usage) return null;
  if (!usage.isKnown) {
    return (
      <p className="muted">
        Whether the outbound strategy uses “{name}” is unknown: {usage.reason}.
      </p>
    );
  }
  if (!usage.names.has(name)) return null;
  return (
    <p>
      <span className="badge badge-used">Used by the outbound strategy</span> Delivery picks “{name}
      ” by name in the outbound strategy's TLS rule.
    </p>
  );
}

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useLocation } from "wouter";
import { useJmapClient } from "../../app/auth";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { Notice } from "../../components/notice";
import { describeError } from "../../jmap/describe-error";
import { SetObjectError } from "../../jmap/errors";
import { TLS_STRATEGY_PERMISSIONS } from "../../jmap/protocol";
import { changedProperties, toFormValues } from "./form-schema";
import { lastListPath, lastListView } from "./last-list-view";
import { duplicatePath } from "./paths";
import { tlsStrategyQueries, useDestroyTlsStrategies, useUpdateTlsStrategy } from "./queries";
import type { TlsStrategy } from "./schema";
import { TlsStrategyForm } from "./tls-strategy-form";

export function TlsStrategyEditPage({ id }: { id: string }) {
  const client = useJmapClient();
  // The form always starts from a fresh read, never from a cached copy that someone may
  // have changed since: editing a stale version would overwrite their change.
  const detail = useQuery({ ...tlsStrategyQueries.detail(client, id), refetchOnMount: "always" });

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
  return <EditStrategy key={detail.data.id} strategy={detail.data} />;
}

function EditStrategy({ strategy }: { strategy: TlsStrategy }) {
  const client = useJmapClient();
  const [, navigate] = useLocation();
  const update = useUpdateTlsStrategy(client);
  const destroy = useDestroyTlsStrategies(client);
  const [isConfirmingDelete, setIsConfirmingDelete] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  // The form's starting point stays the version it was loaded from, even if a refetch
  // brings a newer one, so what the user typed is never replaced under their hands.
  const [loaded] = useState(strategy);

  const destroyError = destroy.isError
    ? describeError(destroy.error, { permission: TLS_STRATEGY_PERMISSIONS.destroy })
    : destroy.data?.failed[0]
      ? describeError(new SetObjectError(destroy.data.failed[0].error, "destroy", loaded.id))
      : null;

  return (
    <section aria-labelledby="edit-heading">
      <title>{`${loaded.name} · TLS Strategies · Stalwart`}</title>
      <div className="toolbar">
        <h2 id="edit-heading">Edit “{loaded.name}”</h2>
        <Link href={duplicatePath(loaded.id)} className="button">
          Duplicate
        </Link>
      </div>
      {notice ? <Notice tone="info">{notice}</Notice> : null}
      <TlsStrategyForm
        mode="edit"
        defaultValues={toFormValues(loaded)}
        permission={TLS_STRATEGY_PERMISSIONS.update}
        onSubmit={async (values) => {
          const patch = changedProperties(loaded, values);
          if (Object.keys(patch).length === 0) {
            setNotice("Nothing to save: these values are the ones already stored.");
            return;
          }
          await update.mutateAsync({ id: loaded.id, patch, refresh: lastListView() });
          navigate(lastListPath(), { state: { notice: `Saved “${loaded.name}”.` } });
        }}
        actions={
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
          destroy.mutate(
            { ids: [loaded.id], refresh: lastListView() },
            {
              onSuccess: ({ failed }) => {
                if (failed.length === 0) {
                  navigate(lastListPath(), { state: { notice: `Deleted “${loaded.name}”.` } });
                }
              },
            },
          )
        }
      >
        <p>
          The TLS strategy “{loaded.name}” will be deleted. Delivery rules that pick it by name will
          fall back to Stalwart's built-in TLS defaults. This cannot be undone.
        </p>
      </ConfirmDialog>
    </section>
  );
}

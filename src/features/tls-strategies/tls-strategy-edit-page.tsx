import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { useJmapClient } from "../../app/auth";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { Notice } from "../../components/notice";
import { describeError } from "../../jmap/describe-error";
import { TLS_STRATEGY_PERMISSIONS } from "../../jmap/protocol";
import { LIST_PATH } from "./paths";
import { tlsStrategyQueries, useDestroyTlsStrategy, useUpdateTlsStrategy } from "./queries";
import { changedProperties, type TlsStrategy, toFormValues } from "./schema";
import { TlsStrategyForm } from "./tls-strategy-form";

export function TlsStrategyEditPage() {
  const { id = "" } = useParams();
  const client = useJmapClient();
  const detail = useQuery(tlsStrategyQueries.detail(client, id));

  if (detail.isPending) {
    return (
      <p role="status" className="placeholder">
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
        <Link to={LIST_PATH}>Back to TLS Strategies</Link>
      </section>
    );
  }
  // Keyed by id so that moving to another strategy starts a fresh form.
  return <EditStrategy key={detail.data.id} strategy={detail.data} />;
}

function EditStrategy({ strategy }: { strategy: TlsStrategy }) {
  const client = useJmapClient();
  const navigate = useNavigate();
  const update = useUpdateTlsStrategy(client);
  const destroy = useDestroyTlsStrategy(client);
  const [isConfirmingDelete, setIsConfirmingDelete] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  // The form's starting point stays the version it was loaded from, even if a refetch
  // brings a newer one, so what the user typed is never replaced under their hands.
  const [loaded] = useState(strategy);

  return (
    <section aria-labelledby="edit-heading">
      <title>{`${loaded.name} · TLS Strategies · Stalwart`}</title>
      <h2 id="edit-heading">Edit “{loaded.name}”</h2>
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
          await update.mutateAsync({ id: loaded.id, patch });
          navigate(LIST_PATH, { state: { notice: `Saved “${loaded.name}”.` } });
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
        error={
          destroy.isError
            ? describeError(destroy.error, { permission: TLS_STRATEGY_PERMISSIONS.destroy })
            : null
        }
        onCancel={() => setIsConfirmingDelete(false)}
        onConfirm={() =>
          destroy.mutate(loaded.id, {
            onSuccess: () =>
              navigate(LIST_PATH, { state: { notice: `Deleted “${loaded.name}”.` } }),
          })
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

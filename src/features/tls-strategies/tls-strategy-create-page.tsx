import { useQuery } from "@tanstack/react-query";
import { useLocation, useSearchParams } from "wouter";
import { useJmapClient, usePermissions } from "../../app/auth";
import { releaseUnsavedChangesGuard } from "../../app/navigation-guard";
import { Notice } from "../../components/notice";
import { describeError } from "../../jmap/describe-error";
import { TLS_STRATEGY_PERMISSIONS } from "../../jmap/protocol";
import { toFormValues } from "./form-schema";
import { lastListPath, lastListView } from "./last-list-view";
import { tlsStrategyQueries, useCreateTlsStrategy } from "./queries";
import { STRATEGY_DEFAULTS } from "./schema";
import { TlsStrategyForm } from "./tls-strategy-form";

export function TlsStrategyCreatePage() {
  const client = useJmapClient();
  const [, navigate] = useLocation();
  const [searchParams] = useSearchParams();
  const create = useCreateTlsStrategy(client);
  const permissions = usePermissions();
  // "Duplicate" opens this page with ?from=<id>: the form starts from that strategy's values.
  const fromId = searchParams.get("from");
  const source = useQuery({
    ...tlsStrategyQueries.detail(client, fromId ?? ""),
    enabled: fromId !== null,
  });

  const title = source.data ? `Duplicate “${source.data.name}”` : "Create strategy";
  let content: React.ReactNode;
  if (permissions.isKnown && !permissions.canCreate) {
    content = (
      <Notice tone="info">
        You may not create TLS strategies: your account lacks the “{TLS_STRATEGY_PERMISSIONS.create}
        ” permission.
      </Notice>
    );
  } else if (fromId !== null && source.isPending) {
    content = (
      <p role="status" className="placeholder">
        Loading the strategy to duplicate…
      </p>
    );
  } else if (fromId !== null && (source.isError || source.data === null)) {
    content = (
      <Notice tone="error">
        Could not load the strategy to duplicate.{" "}
        {source.isError
          ? describeError(source.error, { permission: TLS_STRATEGY_PERMISSIONS.get })
          : "It may have been deleted."}
      </Notice>
    );
  } else {
    content = (
      <TlsStrategyForm
        key={fromId ?? "new"}
        mode="create"
        defaultValues={toFormValues(source.data ? { ...source.data, name: "" } : null)}
        baseline={{ name: "", ...STRATEGY_DEFAULTS }}
        permission={TLS_STRATEGY_PERMISSIONS.create}
        onSubmit={async (values) => {
          const listView = lastListView();
          await create.mutateAsync({ strategy: values, refresh: listView });
          releaseUnsavedChangesGuard();
          navigate(lastListPath(), { state: { notice: `Created “${values.name}”.` } });
        }}
      />
    );
  }

  return (
    <section aria-labelledby="create-heading">
      <title>{`${title} · TLS Strategies · Stalwart`}</title>
      <h2 id="create-heading">{title}</h2>
      {source.data ? (
        <p className="subtitle">
          The new strategy starts with the values of “{source.data.name}”. Give it a name.
        </p>
      ) : null}
      {content}
    </section>
  );
}

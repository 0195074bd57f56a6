import { useQuery } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { Link, useLocation } from "wouter";
import { describeError } from "../../../components/describe-error";
import { Notice } from "../../../components/notice";
import { isolatedText, QuotedName } from "../../../components/shown-text";
import { UsedByRules } from "../../../components/used-by-rules";
import { ViewHeader } from "../../../components/view-heading";
import { TLS_STRATEGY_PERMISSIONS } from "../../../jmap/protocol";
import { useUrlSearchParams } from "../../../navigation/url-search";
import { RULES_PATH } from "../../../paths";
import { useJmapClient } from "../../../session/auth";
import { usePermissions } from "../../../session/permissions";
import { outboundQueries } from "../../../stalwart/outbound-strategy";
import {
  STRATEGY_DEFAULTS,
  type TlsStrategy,
  tlsStrategyQueries,
} from "../../../stalwart/tls-strategy";
import { lastListView } from "../data/last-list-view";
import { useCreateTlsStrategy } from "../data/mutations";
import { DETAIL_FRESH_MS } from "../data/prefetch";
import type { Submission, SubmitOutcome } from "../form/contracts";

import { useLeaveWith } from "../form/flash";
import { TlsStrategyForm } from "../form/form";
import { differences, type StrategyValues } from "../model/changes";
import { reviewSave } from "../model/security-rules";

const DEFAULTS: StrategyValues = { name: "", ...STRATEGY_DEFAULTS };

export function TlsStrategyCreatePage() {
  const client = useJmapClient();
  const [, _navigate] = useLocation();
  const searchParams = useUrlSearchParams();
  const create = useCreateTlsStrategy(client);
  const permissions = usePermissions();
  // "Duplicate" opens this page with ?from=<id>: the form starts from that strategy's values.
  const fromId = searchParams.get("from");
  // Duplicated from what is stored now: a read younger than DETAIL_FRESH_MS (the prefetch when
  // the pointer reached the Duplicate link) or a new one, never an older cached copy.
  const source = useQuery({
    ...tlsStrategyQueries.detail(client, fromId ?? ""),
    enabled: fromId !== null,
    staleTime: DETAIL_FRESH_MS,
  });
  const isSourceFresh = source.isFetchedAfterMount || !source.isFetching;
  // Whether the TLS rules pick the original by name: a copy under a new name is picked by none
  // of them, so duplicating to rename needs the rules changed too (said before the form).
  const usage = useQuery({ ...outboundQueries.tlsUsage(client), enabled: fromId !== null });
  // The values to start from are taken once: a later read of the source (a refetch, an
  // error, its deletion) never replaces a form the admin is filling in (README, "Typed work is
  // never replaced").
  const [startFrom, setStartFrom] = useState<{ key: string; source: TlsStrategy | null } | null>(
    null,
  );
  const key = fromId ?? "new";
  if (startFrom?.key !== key) {
    if (fromId === null) setStartFrom({ key, source: null });
    else if (source.data && isSourceFresh) setStartFrom({ key, source: source.data });
  }
  const original = startFrom?.key === key ? startFrom.source : null;

  const leaveWith = useLeaveWith();
  const onSubmit = async ({
    intent,
    values,
    seen,
    confirm,
    startedAt,
  }: Submission): Promise<SubmitOutcome> => {
    // A new strategy: every finding is introduced by this save (README, "What is saved is what
    // was reviewed").
    const review = reviewSave(values, null, seen);
    if (review.blocking.length > 0)
      return { kind: "blocked", findings: review.blocking, theirs: [] };
    if (review.toConfirm.length > 0) {
      const isConfirmed = await confirm({
        title: "Create with warnings?",
        confirmLabel: "Create anyway",
        findings: review.toConfirm,
        changes: { heading: "Different from the defaults", items: differences(DEFAULTS, values) },
        theirs: [],
      });
      if (!isConfirmed) return;
    }
    const created = await create.mutateAsync({
      strategy: values,
      refresh: lastListView(),
      apply: intent === "apply",
    });
    leaveWith({
      before: "Created ",
      name: values.name,
      after: ".",
      isApplied: created.reload?.isApplied === true,
      startedAt,
    });
  };

  // Once the form is on screen it stays, even if a later read of the permissions (a changed
  // session) says Create was taken away: what was typed is kept, and the notice says why a
  // save would be refused (README, "Typed work is never replaced").
  const isFormShown = useRef(false);
  const isRevoked = isFormShown.current && permissions.isKnown && !permissions.canCreate;
  let content: React.ReactNode;
  if (permissions.isKnown && !permissions.canCreate && !isFormShown.current) {
    content = (
      <Notice tone="info">
        You may not create TLS strategies: your account lacks the “{TLS_STRATEGY_PERMISSIONS.create}
        ” permission.
      </Notice>
    );
  } else if (startFrom?.key === key) {
    // Shown as allowed: only once the permissions are known can they be taken away.
    if (permissions.isKnown) isFormShown.current = true;
    content = (
      <TlsStrategyForm
        key={key}
        mode="create"
        baseline={original ? { ...original, name: "" } : DEFAULTS}
        permission={TLS_STRATEGY_PERMISSIONS.create}
        onSubmit={onSubmit}
        canApply={permissions.canReloadSettings}
      />
    );
  } else if (source.isError || (source.data === null && isSourceFresh)) {
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
      <p role="status" className="placeholder">
        Loading the strategy to duplicate…
      </p>
    );
  }

  return (
    <section>
      <title>
        {`${original ? `Duplicate “${isolatedText(original.name)}”` : "Create strategy"} · TLS Strategies · Stalwart`}
      </title>
      <ViewHeader
        headingClassName="wrap-anywhere"
        subtitle={
          original ? (
            <>
              The new strategy starts with the values of <QuotedName name={original.name} />. Give
              it a name.
            </>
          ) : (
            "A new TLS strategy starts with Stalwart's defaults. Give it a name."
          )
        }
      >
        {original ? (
          <>
            Duplicate <QuotedName name={original.name} />
          </>
        ) : (
          "Create strategy"
        )}
      </ViewHeader>
      {original && usage.data?.isKnown && usage.data.names.has(original.name) ? (
        // A note, not a status: it says how things are, nothing happened.
        <div className="notice notice-info" role="note">
          <p>
            The outbound strategy's TLS rules pick <QuotedName name={original.name} /> by name:
          </p>
          <UsedByRules usage={usage.data} name={original.name} />
          <p>
            The copy is picked by none of them until a rule names it. To move delivery to the copy
            (say, to rename <QuotedName name={original.name} />
            ), change those rules in <Link href={RULES_PATH}>Which strategy applies where</Link>{" "}
            before deleting the original: deleted, it would leave them naming a strategy that is
            gone, and delivery would fall back to Stalwart's built-in TLS defaults.
          </p>
        </div>
      ) : null}
      {isRevoked ? (
        <Notice tone="error">
          Your account may no longer create TLS strategies (the “{TLS_STRATEGY_PERMISSIONS.create}”
          permission was taken away). What you typed is kept; the server will refuse to save it.
        </Notice>
      ) : null}
      {content}
    </section>
  );
}

import "../../../components/field.css";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { Link } from "wouter";
import { describeError } from "../../../components/describe-error";
import { Notice } from "../../../components/notice";
import { isolatedText, QuotedName } from "../../../components/shown-text";
import { ViewHeader } from "../../../components/view-heading";
import { UnauthorizedError } from "../../../jmap/errors";
import { TLS_STRATEGY_PERMISSIONS } from "../../../jmap/protocol";
import { duplicatePath } from "../../../paths";
import { useApply } from "../../../pending-apply/apply";
import { useJmapClient } from "../../../session/auth";
import { type Permissions, usePermissions } from "../../../session/permissions";
import { outboundQueries, type TlsUsage } from "../../../stalwart/outbound-strategy";
import {
  cachedTlsStrategy,
  type TlsStrategy,
  tlsStrategyQueries,
} from "../../../stalwart/tls-strategy";
import { lastListView } from "../data/last-list-view";
import { useUpdateTlsStrategy } from "../data/mutations";
import { DETAIL_FRESH_MS } from "../data/prefetch";
import { rememberServerVersion } from "../data/send-changes";
import { storedNamesQuery } from "../data/stored-names-query";
import { TheirChanges } from "../form/change-list";
import type { FormControl, Submission, SubmitOutcome } from "../form/contracts";
import { useLeaveWith } from "../form/flash";
import { TlsStrategyForm } from "../form/form";
import { type Change, differences, isSameStrategy, rebase } from "../model/changes";
import { ClashDialog, type ClashQuestion } from "./clash-dialog";
import { DeleteDialog } from "./delete-dialog";
import { NotFound, UsageNotice } from "./notices";
import { useRecreate } from "./recreate";
import { type Choices, type Clash, type SaveSteps, saveRounds } from "./save-rounds";

export function TlsStrategyEditPage({ id }: { id: string }) {
  const client = useJmapClient();
  const permissions = usePermissions();
  // The form may open from a copy read earlier (below), but what it saves never depends on
  // it: a save reads the strategy again and merges someone else's changes first (README, "Two
  // admins at once").
  const queryClient = useQueryClient();
  const detail = useQuery({
    ...tlsStrategyQueries.detail(client, id),
    // A read younger than this (the prefetch when the pointer or focus reached the link) is
    // not repeated on opening; an older one is, in the background.
    staleTime: DETAIL_FRESH_MS,
    // Until then the form opens at once with the strategy as this page last read it (a list
    // row); the fresh read replaces it while untouched. Nothing stale is ever written: a save
    // reads again and merges before writing (README, "Two admins at once").
    placeholderData: () => cachedTlsStrategy(queryClient, id),
  });
  const usage = useQuery(outboundQueries.tlsUsage(client));
  // Once the form is on screen it stays, whatever later reads bring (README, "Typed work is
  // never replaced"): news about the strategy is shown beside it, and only an untouched form
  // may be replaced.
  const [openedId, setOpenedId] = useState<string | null>(null);
  const isFresh = !detail.isPlaceholderData && (detail.isFetchedAfterMount || !detail.isFetching);
  if (openedId !== id && detail.data) setOpenedId(id);

  if (openedId === id || detail.data) {
    return (
      <EditStrategy
        key={id}
        initial={detail.data as TlsStrategy}
        isProvisional={!isFresh}
        latest={isFresh ? detail.data : undefined}
        readError={detail.isError && !detail.isFetching ? detail.error : null}
        onRetryRead={() => void detail.refetch()}
        permissions={permissions}
        usage={usage.data}
      />
    );
  }
  if (detail.isError) {
    return (
      <section>
        <title>Could not load · TLS Strategies · Stalwart</title>
        <ViewHeader>Could not load this strategy</ViewHeader>
        <Notice tone="error">
          <p>{describeError(detail.error, { permission: TLS_STRATEGY_PERMISSIONS.get })}</p>
          <button type="button" className="button" onClick={() => detail.refetch()}>
            Try again
          </button>
        </Notice>
      </section>
    );
  }
  if (detail.data === null && isFresh) return <NotFound id={id} />;
  return (
    <p role="status" className="placeholder">
      <title>Loading… · TLS Strategies · Stalwart</title>
      Loading strategy…
    </p>
  );
}

function EditStrategy({
  initial,
  isProvisional,
  latest,
  readError,
  onRetryRead,
  permissions,
  usage,
}: {
  /** The version the form opens with. */
  initial: TlsStrategy;
  /**
   * `initial` is a copy this page read earlier (a list row, an older read), shown while the
   * fresh read is on its way: that read, taken in while the form is untouched, is no news.
   */
  isProvisional: boolean;
  /** What the server holds as last read: a newer version, null once deleted. */
  latest: TlsStrategy | null | undefined;
  /** Why the last background read failed, if it did. */
  readError: unknown;
  onRetryRead: () => void;
  permissions: Permissions;
  usage: TlsUsage | undefined;
}) {
  const client = useJmapClient();
  const queryClient = useQueryClient();
  const update = useUpdateTlsStrategy(client);
  const form = useRef<FormControl>(null);
  const [isConfirmingDelete, setIsConfirmingDelete] = useState(false);
  // Each opening of the delete dialog starts afresh: nothing typed, no earlier error.
  const [deleteRound, setDeleteRound] = useState(0);
  const [clashes, setClashes] = useState<ClashQuestion | null>(null);
  const [choices, setChoices] = useState<Choices>({});
  // The server's version the form last took in, and the version it was opened with (or
  // last took in while untouched): "someone else changed" is measured from there.
  const [serverVersion, setServerVersion] = useState(initial);
  const [opened, setOpened] = useState(initial);
  // What an untouched form last took in from someone else, to say so.
  const [adopted, setAdopted] = useState<Change[]>([]);
  // The form's baseline: the server's version, except for the properties the admin edited,
  // which keep the value they were edited against (so a clash stays a clash).
  const [loaded, setLoaded] = useState(initial);
  const [hasChanges, setHasChanges] = useState(false);
  // While a save runs, the cache moves with it; that is no news from someone else.
  const [isSaving, setIsSaving] = useState(false);
  // Other stored names that look like this one (name-lookalike.ts), said beside it.
  const lookalikes = useQuery(storedNamesQuery(client)).data?.lookalikes.get(loaded.id);
  // A form opened editable stays editable, even if a later read of the permissions (a changed
  // session) says Update was taken away: what was typed is kept, and a notice says why a save
  // would be refused (README, "Typed work is never replaced").
  const wasEditable = useRef(false);
  if (permissions.canUpdate) wasEditable.current = true;
  const isReadOnly = !permissions.canUpdate && !wasEditable.current;
  const isRevoked = !permissions.canUpdate && wasEditable.current && permissions.isKnown;

  const isOpeningCopy = useRef(isProvisional);

  /** Takes a newer version in: untouched fields show it, edited ones keep what was typed. */
  const takeIn = useCallback((newer: TlsStrategy) => {
    const edited = form.current?.editedProperties() ?? [];
    // The first read after opening from a copy only confirms or corrects that copy.
    const isNews = !isOpeningCopy.current;
    isOpeningCopy.current = false;
    setLoaded((baseline) => {
      if (edited.length === 0 && isNews) setAdopted(differences(baseline, newer));
      return rebase(baseline, newer, edited);
    });
    setServerVersion(newer);
    if (edited.length === 0) setOpened(newer);
    return edited;
  }, []);

  useEffect(() => {
    if (isSaving || !latest) return;
    if (isSameStrategy(latest, serverVersion)) isOpeningCopy.current = false;
    else takeIn(latest);
  }, [latest, serverVersion, isSaving, takeIn]);

  /** What someone else changed since the form was opened, as the server holds it now. */
  const theirsSinceOpened = isSaving ? [] : differences(opened, serverVersion);
  const isDeletedMeanwhile = latest === null && !isSaving;

  const leaveWith = useLeaveWith();
  const recreate = useRecreate(permissions.canCreate);
  const { apply } = useApply();

  const askClashes = (items: Clash[], theirs: Change[]) =>
    new Promise<Choices | null>((resolve) => {
      setChoices(Object.fromEntries(items.map((c) => [c.key, "mine"])));
      setClashes({ items, theirs, resolve });
    }).finally(() => setClashes(null));

  /** Reads the strategy as the server holds it now, and shows it everywhere. */
  const readCurrent = async () => {
    const current = await queryClient.fetchQuery({
      ...tlsStrategyQueries.detail(client, loaded.id),
      staleTime: 0,
    });
    rememberServerVersion(queryClient, loaded.id, current);
    return current;
  };

  const steps: SaveSteps = {
    readCurrent,
    takeIn,
    askClashes,
    recreate,
    leave: leaveWith,
    write: ({ patch, before, after, apply: isApply }) =>
      update.mutateAsync({
        id: loaded.id,
        patch,
        before,
        after,
        refresh: lastListView(),
        apply: isApply,
      }),
    keepTheirs: async (isApply) => {
      // Nothing was written; the list refetches when shown, in case more changed meanwhile.
      await queryClient.invalidateQueries({ queryKey: tlsStrategyQueries.lists() });
      return isApply ? apply({ announce: false }) : null;
    },
    forget: () => rememberServerVersion(queryClient, loaded.id, null),
  };

  const save = async (submission: Submission): Promise<SubmitOutcome> => {
    setIsSaving(true);
    try {
      return await saveRounds(submission, { baseline: loaded, opened }, steps);
    } finally {
      setIsSaving(false);
    }
  };

  const onHasChangesChange = useCallback((value: boolean) => setHasChanges(value), []);

  if (isDeletedMeanwhile && !hasChanges) return <NotFound id={loaded.id} name={loaded.name} />;

  return (
    <section>
      <title>{`${isolatedText(loaded.name)} · TLS Strategies · Stalwart`}</title>
      <ViewHeader
        headingClassName="wrap-anywhere"
        actions={
          permissions.canCreate ? (
            <Link href={duplicatePath(loaded.id)} className="button">
              Duplicate
            </Link>
          ) : null
        }
      >
        {isReadOnly ? "" : "Edit "}
        <QuotedName name={loaded.name} />
      </ViewHeader>
      <UsageNotice name={loaded.name} usage={usage} />
      {lookalikes ? (
        <Notice tone="info">
          <QuotedName name={loaded.name} /> looks the same as{" "}
          {lookalikes.map((other, index) => (
            <span key={other}>
              {index > 0 ? ", " : ""}
              <QuotedName name={other} />
            </span>
          ))}
          : Stalwart tells them apart, but a reader of the list cannot. Check you are editing the
          one you mean.
        </Notice>
      ) : null}
      {isRevoked ? (
        <Notice tone="error">
          Your account may no longer change TLS strategies (the “{TLS_STRATEGY_PERMISSIONS.update}”
          permission was taken away). What you typed is kept; the server will refuse to save it.
        </Notice>
      ) : null}
      {isReadOnly && permissions.isKnown ? (
        <Notice tone="info">
          You can view this strategy but not change it: your account lacks the “
          {TLS_STRATEGY_PERMISSIONS.update}” permission.
        </Notice>
      ) : null}
      {isDeletedMeanwhile ? null : theirsSinceOpened.length > 0 ? (
        <Notice tone="info">
          <TheirChanges
            changes={theirsSinceOpened}
            intro="Someone else changed this strategy since you opened it"
          />
          <p>
            Fields you had not changed now show their values, and what you typed is kept. Where you
            changed a field too, you choose which value stays when you save.
          </p>
        </Notice>
      ) : adopted.length > 0 ? (
        <Notice tone="info">
          <TheirChanges
            changes={adopted}
            intro="Someone else changed this strategy; the form now shows what is stored"
          />
        </Notice>
      ) : null}
      {isDeletedMeanwhile ? (
        <Notice tone="info">
          <QuotedName name={loaded.name} /> was deleted by someone else while you were editing it.
          What you typed is still here
          {permissions.canCreate
            ? ": Save offers to create it again with your values."
            : ", but your account may not create strategies, so it cannot be created again from here."}
        </Notice>
      ) : null}
      {readError && !(readError instanceof UnauthorizedError) ? (
        <Notice tone="error">
          <p>
            Could not check this strategy for changes made elsewhere. {describeError(readError)}{" "}
            What you typed is kept.
          </p>
          <button type="button" className="button" onClick={onRetryRead}>
            Check again
          </button>
        </Notice>
      ) : null}
      <TlsStrategyForm
        mode="edit"
        baseline={loaded}
        isReadOnly={isReadOnly}
        permission={TLS_STRATEGY_PERMISSIONS.update}
        onSubmit={save}
        onHasChangesChange={onHasChangesChange}
        controlRef={form}
        canApply={permissions.canReloadSettings}
        actions={
          permissions.canDestroy && !isDeletedMeanwhile ? (
            <button
              type="button"
              className="button button-danger"
              onClick={() => {
                setDeleteRound((round) => round + 1);
                setIsConfirmingDelete(true);
                // Whether delivery uses it, as the rule says now, not a minute ago.
                void queryClient.prefetchQuery({
                  ...outboundQueries.tlsUsage(client),
                  staleTime: 0,
                });
              }}
            >
              Delete
            </button>
          ) : null
        }
      />

      <DeleteDialog
        key={deleteRound}
        isOpen={isConfirmingDelete}
        strategy={loaded}
        usage={usage}
        onClose={() => setIsConfirmingDelete(false)}
      />

      <ClashDialog
        question={clashes}
        choices={choices}
        onChoose={(key, choice) => setChoices((c) => ({ ...c, [key]: choice }))}
      />
    </section>
  );
}

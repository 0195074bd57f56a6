import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { Link, useLocation } from "wouter";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { describeError } from "../../components/describe-error";
import { TypeToConfirm } from "../../components/field";
import { Notice } from "../../components/notice";
import { isolatedText, QuotedName, ShownText } from "../../components/shown-text";
import { isTypedName } from "../../components/typed-name";
import { ViewHeader } from "../../components/view-heading";
import { SetObjectError, UnauthorizedError } from "../../jmap/errors";
import { TLS_STRATEGY_PERMISSIONS } from "../../jmap/protocol";
import { useApply } from "../../session/apply";
import { useJmapClient, useWithReauthentication } from "../../session/auth";
import { type Permissions, usePermissions } from "../../session/permissions";
import { TheirChanges } from "./change-list";
import {
  applyPatch,
  type Change,
  differences,
  displayValue,
  type EditableProperty,
  isSameStrategy,
  rebase,
  type TlsStrategyPatch,
} from "./changes";
import { useLeaveWith } from "./flash";
import { lastListPath, lastListView } from "./last-list-view";
import { type SaveOutcome, useCreateTlsStrategy, useUpdateTlsStrategy } from "./mutations";
import { describeLookalike, findLookalike } from "./name-lookalike";
import { duplicatePath } from "./paths";
import {
  cachedTlsStrategy,
  DETAIL_FRESH_MS,
  outboundQueries,
  type TlsUsage,
  tlsStrategyQueries,
  useDestroyTlsStrategies,
} from "./queries";
import { FIELDS, type TlsStrategy } from "./schema";
import { reviewSave } from "./security-rules";
import { rememberServerVersion } from "./send-changes";
import {
  type FormControl,
  type Submission,
  type SubmitOutcome,
  TlsStrategyForm,
} from "./tls-strategy-form";

export function TlsStrategyEditPage({ id }: { id: string }) {
  const client = useJmapClient();
  const permissions = usePermissions();
  // The form may open from a copy read earlier (below), but what it saves never depends on
  // it: a save reads the strategy again and merges someone else's changes first (issue 7 §3).
  const queryClient = useQueryClient();
  const detail = useQuery({
    ...tlsStrategyQueries.detail(client, id),
    // A read younger than this (the prefetch when the pointer or focus reached the link) is
    // not repeated on opening; an older one is, in the background.
    staleTime: DETAIL_FRESH_MS,
    // Until then the form opens at once with the strategy as this page last read it (a list
    // row); the fresh read replaces it while untouched. Nothing stale is ever written: a save
    // reads again and merges before writing (issue 7 §3).
    placeholderData: () => cachedTlsStrategy(queryClient, id),
  });
  const usage = useQuery(outboundQueries.tlsUsage(client));
  // Once the form is on screen it stays, whatever later reads bring (issue 7 §2): news about
  // the strategy is shown beside it, and only an untouched form may be replaced.
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

function NotFound({ id, name }: { id: string; name?: string }) {
  return (
    <section className="placeholder">
      <title>Strategy not found · TLS Strategies · Stalwart</title>
      <ViewHeader>Strategy not found</ViewHeader>
      <p>
        {name === undefined ? (
          <>
            There is no TLS strategy with the id “<ShownText text={id} />
            ”. It may have been deleted.
          </>
        ) : (
          <>
            The TLS strategy <QuotedName name={name} /> was deleted by someone else.
          </>
        )}
      </p>
      <Link href={lastListPath()}>Back to TLS Strategies</Link>
    </section>
  );
}

/** A field changed both here and by someone else since the form was loaded. */
interface Clash {
  key: EditableProperty;
  loaded: unknown;
  theirs: unknown;
  mine: unknown;
}

type Choices = Record<string, "theirs" | "mine">;

/** How many times a save reads again when the strategy changed while the admin decided. */
const MAX_SAVE_ROUNDS = 3;

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
  const [, _navigate] = useLocation();
  const withReauthentication = useWithReauthentication();
  const queryClient = useQueryClient();
  const update = useUpdateTlsStrategy(client);
  const create = useCreateTlsStrategy(client);
  const destroy = useDestroyTlsStrategies(client);
  const form = useRef<FormControl>(null);
  const [isConfirmingDelete, setIsConfirmingDelete] = useState(false);
  // A strategy delivery uses is deleted only once its name is typed (TypeToConfirm).
  const [typedName, setTypedName] = useState<Record<string, string>>({});
  const [clashes, setClashes] = useState<{
    items: Clash[];
    theirs: Change[];
    resolve: (choices: Choices | null) => void;
  } | null>(null);
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
  const isUsed = usage?.isKnown === true && usage.names.has(loaded.name);
  // Other stored names that look like this one (name-lookalike.ts), said beside it.
  const lookalikes = useQuery(tlsStrategyQueries.allNames(client)).data?.lookalikes.get(loaded.id);
  // Deleting it is confirmed by typing its name unless it is known to be unused.
  const needsTypedName = !(usage?.isKnown && !isUsed);
  // A form opened editable stays editable, even if a later read of the permissions (a changed
  // session) says Update was taken away: what was typed is kept, and a notice says why a save
  // would be refused (issue 16 §1).
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
  const { apply } = useApply();

  const askClashes = (items: Clash[], theirs: Change[]) =>
    new Promise<Choices | null>((resolve) => {
      setChoices(Object.fromEntries(items.map((c) => [c.key, "mine"])));
      setClashes({ items, theirs, resolve });
    }).finally(() => setClashes(null));

  /** A strategy deleted meanwhile: offer to create it again with the form's values. */
  const recreate = async (
    submission: Submission,
    baseline: TlsStrategy,
  ): Promise<SubmitOutcome> => {
    const { intent, comparison, seen, confirm } = submission;
    if (!permissions.canCreate) {
      return {
        kind: "nothing-to-save",
        message: `This strategy was deleted by someone else, and your account may not create strategies (${TLS_STRATEGY_PERMISSIONS.create}), so it cannot be created again from here.`,
      };
    }
    // Someone may have created a look-alike of the name meanwhile (name-lookalike.ts).
    const stored = await queryClient
      .fetchQuery({ ...tlsStrategyQueries.allNames(client), staleTime: 0 })
      .catch(() => null);
    const lookalike = stored ? findLookalike(baseline.name, stored.names) : null;
    if (lookalike) {
      return {
        kind: "nothing-to-save",
        message: `This strategy was deleted by someone else, and “${lookalike.name}” has been created since, which looks the same as its name: ${describeLookalike(lookalike.reason)}. It is not created again; duplicate it under another name instead.`,
      };
    }
    // What was stored, with this admin's edits: a field nobody touched is sent as it was.
    const { id: _, ...strategy } = applyPatch(baseline, comparison.patch);
    const review = reviewSave(strategy, null, seen);
    if (review.blocking.length > 0)
      return { kind: "blocked", findings: review.blocking, theirs: [] };
    const isConfirmed = await confirm({
      title: (
        <>
          <QuotedName name={baseline.name} /> was deleted
        </>
      ),
      confirmLabel: "Create it again with my values",
      cancelLabel: "Keep editing",
      intro: (
        <p>
          Someone deleted this strategy while you were editing it. You can create it again, under
          the same name, with the values in your form.
        </p>
      ),
      findings: review.toConfirm,
      changes: { heading: "", items: [] },
      theirs: [],
    });
    if (!isConfirmed) return;
    const created = await create.mutateAsync({
      strategy,
      refresh: lastListView(),
      apply: intent === "apply",
    });
    leaveWith({
      before: "Created ",
      name: baseline.name,
      after: " again with your values.",
      isApplied: created.reload?.isApplied === true,
      startedAt: submission.startedAt,
    });
  };

  /** Reads the strategy as the server holds it now, and shows it everywhere. */
  const readCurrent = async () => {
    const current = await queryClient.fetchQuery({
      ...tlsStrategyQueries.detail(client, loaded.id),
      staleTime: 0,
    });
    rememberServerVersion(queryClient, loaded.id, current);
    return current;
  };

  /**
   * Saves only what this admin changed. The server has no ifInState (shared wire reference
   * §5), so the strategy is read again first: a field someone else changed is kept unless
   * this admin changed it too, and then the admin decides. The security review then runs on
   * the merged strategy, the one the server will hold (issue 7 §3). If the admin had to
   * decide something, the strategy is read once more before writing, and if it changed
   * meanwhile, merged and reviewed again: what is written is what was reviewed. Two requests
   * when nobody else is editing.
   */
  const saveRounds = async (submission: Submission): Promise<SubmitOutcome> => {
    const mine = submission.comparison.patch;
    if (Object.keys(mine).length === 0)
      return {
        kind: "nothing-to-save",
        message: "Nothing to save: these values are the ones already stored.",
      };
    const baseline = loaded;
    let current = await readCurrent();
    for (let round = 0; ; round += 1) {
      if (current === null) return recreate(submission, baseline);
      takeIn(current);
      const found: Clash[] = [];
      for (const key of Object.keys(mine) as EditableProperty[]) {
        if (current[key] !== baseline[key] && current[key] !== mine[key]) {
          found.push({ key, loaded: baseline[key], theirs: current[key], mine: mine[key] });
        }
      }
      // Someone else's changes this save keeps (where this admin's value does not win).
      const theirsKept = (after: TlsStrategy) =>
        differences(opened, current as TlsStrategy).filter(
          (change) => after[change.property] === (current as TlsStrategy)[change.property],
        );
      let patch: TlsStrategyPatch = mine;
      let hasAsked = false;
      if (found.length > 0) {
        hasAsked = true;
        const answer = await submission.whileAsking(
          askClashes(found, theirsKept(applyPatch(current, mine))),
        );
        if (answer === null) return;
        patch = Object.fromEntries(
          Object.entries(mine).filter(([key]) => answer[key] !== "theirs"),
        ) as TlsStrategyPatch;
      }
      const after = applyPatch(current, patch);
      const theirs = theirsKept(after);
      if (differences(current, after).length === 0) {
        // Nothing was written; the list refetches when shown, in case more changed meanwhile.
        await queryClient.invalidateQueries({ queryKey: tlsStrategyQueries.lists() });
        // "Save and apply" still applies: what is stored (theirs) is what the admin settled on.
        const reload = submission.intent === "apply" ? await apply({ announce: false }) : null;
        leaveWith({
          before: "Kept the other admin's values for ",
          name: loaded.name,
          after:
            submission.intent !== "apply"
              ? "; nothing else needed saving."
              : reload?.isApplied
                ? "; nothing else needed saving."
                : "; nothing else needed saving. Not applied: see why below.",
          theirs,
          isApplied: reload?.isApplied === true,
          startedAt: submission.startedAt,
        });
        return;
      }
      const review = reviewSave(after, current, submission.seen);
      if (review.blocking.length > 0) return { kind: "blocked", findings: review.blocking, theirs };
      if (review.toConfirm.length > 0) {
        hasAsked = true;
        const isConfirmed = await submission.confirm({
          title: "Save with warnings?",
          confirmLabel: "Save anyway",
          findings: review.toConfirm,
          changes: { heading: "What changes", items: differences(current, after) },
          theirs,
        });
        if (!isConfirmed) return;
      }
      if (hasAsked) {
        // The admin took time to decide: what they decided on must still be what is stored.
        const again = await readCurrent();
        if (again === null || !isSameStrategy(again, current)) {
          if (round + 1 >= MAX_SAVE_ROUNDS) {
            return {
              kind: "nothing-to-save",
              message:
                "Not saved: someone else keeps changing this strategy. The form shows their latest values; save again when they are done.",
            };
          }
          current = again;
          continue;
        }
      }
      let saved: SaveOutcome;
      try {
        saved = await update.mutateAsync({
          id: loaded.id,
          patch,
          before: current,
          after,
          refresh: lastListView(),
          apply: submission.intent === "apply",
        });
      } catch (error) {
        if (error instanceof SetObjectError && error.type === "notFound") {
          // Deleted between the read and the write.
          rememberServerVersion(queryClient, loaded.id, null);
          return recreate(submission, baseline);
        }
        throw error;
      }
      leaveWith({
        before: "Saved ",
        name: loaded.name,
        after: ".",
        theirs,
        isApplied: saved.reload?.isApplied === true,
        startedAt: submission.startedAt,
      });
      return;
    }
  };

  const save = async (submission: Submission): Promise<SubmitOutcome> => {
    setIsSaving(true);
    try {
      return await saveRounds(submission);
    } finally {
      setIsSaving(false);
    }
  };

  const onHasChangesChange = useCallback((value: boolean) => setHasChanges(value), []);

  if (isDeletedMeanwhile && !hasChanges) return <NotFound id={loaded.id} name={loaded.name} />;

  const destroyError = destroy.isError
    ? describeError(destroy.error, { permission: TLS_STRATEGY_PERMISSIONS.destroy })
    : destroy.data?.failed[0]
      ? describeError(new SetObjectError(destroy.data.failed[0].error, "destroy", loaded.id))
      : null;

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
                destroy.reset();
                setTypedName({});
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

      <ConfirmDialog
        isOpen={isConfirmingDelete}
        title={
          <>
            Delete <QuotedName name={loaded.name} />?
          </>
        }
        confirmLabel="Delete"
        pendingLabel="Deleting…"
        isPending={destroy.isPending}
        isConfirmBlocked={needsTypedName && !isTypedName(typedName[loaded.name], loaded.name)}
        error={destroyError}
        onCancel={() => setIsConfirmingDelete(false)}
        onConfirm={() => {
          const startedAt = window.location.href;
          void withReauthentication(() =>
            destroy.mutateAsync({
              ids: [loaded.id],
              names: new Map([[loaded.id, loaded.name]]),
              refresh: lastListView(),
            }),
          )
            .then(({ failed }) => {
              if (failed.length === 0)
                leaveWith({ before: "Deleted ", name: loaded.name, after: ".", startedAt });
            })
            .catch(() => undefined);
        }}
      >
        {isUsed ? (
          <p className="finding finding-warning">
            <strong>Warning: </strong>the outbound strategy picks <QuotedName name={loaded.name} />{" "}
            by name. Once it is deleted, delivery that would use it silently falls back to
            Stalwart's built-in TLS defaults, on every message it picks it for.
          </p>
        ) : usage?.isKnown ? null : (
          <p className="finding finding-warning">
            <strong>Warning: </strong>whether the outbound strategy picks{" "}
            <QuotedName name={loaded.name} /> by name is not known
            {usage ? ` (${usage.reason})` : ""}. If it does, delivery that would use it silently
            falls back to Stalwart's built-in TLS defaults.
          </p>
        )}
        {needsTypedName ? (
          <TypeToConfirm
            names={[loaded.name]}
            typed={typedName}
            onType={(name, value) => setTypedName({ [name]: value })}
          />
        ) : null}
        <p>
          The TLS strategy <QuotedName name={loaded.name} /> will be deleted. This cannot be undone.
        </p>
      </ConfirmDialog>

      <ConfirmDialog
        isOpen={clashes !== null}
        title="Someone else changed this strategy"
        confirmLabel="Save"
        cancelLabel="Cancel"
        tone="primary"
        onConfirm={() => clashes?.resolve(choices)}
        onCancel={() => clashes?.resolve(null)}
      >
        <p>
          Since you opened it, these fields were changed by someone else as well as by you. Choose,
          for each, which value to keep. Your other changes are saved as they are.
        </p>
        {clashes && clashes.theirs.length > 0 ? (
          <TheirChanges
            changes={clashes.theirs}
            intro="Also changed by someone else since you opened it, and kept"
          />
        ) : null}
        {(clashes?.items ?? []).map((clash) => (
          <fieldset key={clash.key} className="clash">
            <legend>{FIELDS[clash.key].label}</legend>
            <p className="muted">
              When you opened it: <ShownText text={displayValue(clash.key, clash.loaded)} />
            </p>
            <label>
              <input
                type="radio"
                name={`clash-${clash.key}`}
                checked={choices[clash.key] === "theirs"}
                onChange={() => setChoices((c) => ({ ...c, [clash.key]: "theirs" }))}
              />{" "}
              Keep theirs: <ShownText text={displayValue(clash.key, clash.theirs)} />
            </label>
            <label>
              <input
                type="radio"
                name={`clash-${clash.key}`}
                checked={choices[clash.key] === "mine"}
                onChange={() => setChoices((c) => ({ ...c, [clash.key]: "mine" }))}
              />{" "}
              Keep mine: <ShownText text={displayValue(clash.key, clash.mine)} />
            </label>
          </fieldset>
        ))}
      </ConfirmDialog>
    </section>
  );
}

export function UsageNotice({ name, usage }: { name: string; usage: TlsUsage | undefined }) {
  if (!usage) return null;
  if (!usage.isKnown) {
    return (
      <p className="muted">
        Whether the outbound strategy uses <QuotedName name={name} /> is unknown: {usage.reason}.
      </p>
    );
  }
  if (!usage.names.has(name)) return null;
  return (
    <p>
      <span className="badge badge-used">Used by the outbound strategy</span> Delivery picks{" "}
      <QuotedName name={name} /> by name in the outbound strategy's TLS rule.
    </p>
  );
}

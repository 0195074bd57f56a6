import "../../../components/field.css";
import { useQueryClient } from "@tanstack/react-query";
import { type Dispatch, type SetStateAction, useState } from "react";
import { ConfirmDialog } from "../../../components/confirm-dialog";
import { describeError } from "../../../components/describe-error";
import { Notice } from "../../../components/notice";
import { QuotedName, ShownText } from "../../../components/shown-text";
import { isTypedName } from "../../../components/typed-name";
import { focusViewHeading } from "../../../components/view-heading";
import type { JmapClient } from "../../../jmap/client";
import { TLS_STRATEGY_PERMISSIONS } from "../../../jmap/protocol";
import { useAnnouncements } from "../../../navigation/announcements";
import { preloadSaveCode } from "../../../pending-apply/notice-slot";
import { useWithReauthentication } from "../../../session/auth";
import { outboundQueries, type TlsUsage } from "../../../stalwart/outbound-strategy";
import type { PageView } from "../../../stalwart/tls-strategy";
import { preloadChangeCode, useDestroyTlsStrategies } from "../data/destroy";
import { fetchMatchingNames } from "../data/matching-names";

import { numbers, strategies } from "../model/counts";
import { NOTHING_SELECTED, type Selection } from "../model/selection";
import { namesToConfirm } from "../model/usage";
import { BulkDeleteBody, DestroyReport } from "./bulk-delete";

// What the list does with ticked rows: "N selected", "Select all N that match", "Clear
// selection", "Delete selected (N)" and its dialog. Loaded once the rows are on screen, shown
// once something is ticked: the list's first paint never waits for it (README, "Speed").

export function BulkActions({
  client,
  view,
  total,
  isPageSelected,
  selection,
  setSelection,
  currentSearch,
  usage,
  lookalikes,
}: {
  client: JmapClient;
  view: PageView;
  /** How many strategies the search finds. */
  total: number;
  isPageSelected: boolean;
  selection: Selection;
  setSelection: Dispatch<SetStateAction<Selection>>;
  /** The search the list shows now (an answer for an older one is not merged). */
  currentSearch: () => string;
  usage: TlsUsage | undefined;
  lookalikes: ReadonlyMap<string, string[]> | undefined;
}) {
  const queryClient = useQueryClient();
  const withReauthentication = useWithReauthentication();
  const destroy = useDestroyTlsStrategies(client);
  const { announce, clear: clearAnnouncement } = useAnnouncements();
  const [isConfirmingDelete, setIsConfirmingDelete] = useState(false);
  // The names typed to confirm the deletion (namesToConfirm); empty each time it opens.
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [isSelectingAll, setIsSelectingAll] = useState(false);
  const [selectAllError, setSelectAllError] = useState<string | null>(null);
  const selected = selection.names;
  const canSelectAllMatching = isPageSelected && total > selected.size && !selection.allMatching;

  const selectAllMatching = () => {
    setIsSelectingAll(true);
    setSelectAllError(null);
    const search = view.search;
    // The answer extends the selection it was asked for, and only that one: cleared, changed
    // or deleted meanwhile, the admin's newer choice stands (an older answer never undoes it).
    const askedFor = selection;
    void withReauthentication(() => fetchMatchingNames(client, view))
      .then((names) =>
        setSelection((current) =>
          current !== askedFor || currentSearch() !== search
            ? current
            : {
                names: new Map([...current.names, ...names]),
                allMatching: { search, total: names.size },
              },
        ),
      )
      .catch((error: unknown) =>
        setSelectAllError(`Could not select every matching strategy: ${describeError(error)}`),
      )
      .finally(() => setIsSelectingAll(false));
  };

  const confirmDelete = () => {
    const names = new Map(selected);
    setProgress({ sent: 0, total: names.size });
    void withReauthentication(() =>
      destroy.mutateAsync({
        ids: [...names.keys()],
        names,
        refresh: view,
        onProgress: (sent, of) => setProgress({ sent, total: of }),
      }),
    )
      .then((result) => {
        announce(<DestroyReport outcome={result} names={names} />);
        setIsConfirmingDelete(false);
        // The dialog closes, then focus goes to the heading (view-heading.tsx).
        focusViewHeading();
        // What the server reports gone leaves the selection; what it refused stays, to retry.
        setSelection({
          names: new Map(
            result.failed
              .filter(({ error }) => error.type !== "notFound")
              .map(({ id }) => [id, names.get(id) ?? id]),
          ),
          allMatching: null,
        });
      })
      .catch(() => undefined)
      .finally(() => setProgress(null));
  };

  return (
    <div className="bulk-actions">
      <p className="count" aria-live="polite">
        {selection.allMatching ? (
          <>
            All {strategies(selection.allMatching.total)} that match{" "}
            {selection.allMatching.search === "" ? null : (
              <>
                “<ShownText text={selection.allMatching.search} />”{" "}
              </>
            )}
            are selected
          </>
        ) : (
          `${numbers.format(selected.size)} selected`
        )}
      </p>
      {canSelectAllMatching ? (
        <button
          type="button"
          className="button button-quiet"
          onClick={selectAllMatching}
          disabled={isSelectingAll}
        >
          {isSelectingAll ? "Selecting…" : `Select all ${strategies(total)} that match`}
        </button>
      ) : null}
      <button
        type="button"
        className="button button-quiet"
        onClick={() => setSelection(NOTHING_SELECTED)}
      >
        Clear selection
      </button>
      <button
        type="button"
        className="button button-danger bulk-delete"
        onClick={() => {
          destroy.reset();
          clearAnnouncement();
          setTyped({});
          setIsConfirmingDelete(true);
          // Which strategies delivery uses, as the rule says now, not a minute ago.
          void queryClient.prefetchQuery({ ...outboundQueries.tlsUsage(client), staleTime: 0 });
          // While the admin reads the dialog: the delete then sends only itself.
          preloadSaveCode();
          preloadChangeCode();
        }}
      >
        Delete selected ({numbers.format(selected.size)})
      </button>
      {selectAllError ? <Notice tone="error">{selectAllError}</Notice> : null}

      <ConfirmDialog
        isOpen={isConfirmingDelete}
        title={
          selected.size === 1 ? (
            <>
              Delete <QuotedName name={[...selected.values()][0] ?? ""} />?
            </>
          ) : (
            `Delete ${strategies(selected.size)}?`
          )
        }
        confirmLabel="Delete"
        pendingLabel="Deleting…"
        isPending={destroy.isPending}
        isConfirmBlocked={namesToConfirm(selected, usage).some(
          (name) => !isTypedName(typed[name], name),
        )}
        error={
          destroy.isError
            ? describeError(destroy.error, { permission: TLS_STRATEGY_PERMISSIONS.destroy })
            : null
        }
        onCancel={() => setIsConfirmingDelete(false)}
        onConfirm={confirmDelete}
      >
        <BulkDeleteBody
          selected={selected}
          usage={usage}
          lookalikes={lookalikes}
          progress={progress}
          typed={typed}
          onType={(name, value) => setTyped((current) => ({ ...current, [name]: value }))}
        />
      </ConfirmDialog>
    </div>
  );
}

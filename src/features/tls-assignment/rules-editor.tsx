import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useEffect, useMemo, useRef, useState } from "react";
import { describeError } from "../../components/describe-error";
import { Notice } from "../../components/notice";
import { OUTBOUND_STRATEGY_PERMISSIONS } from "../../jmap/protocol";
import { useUnsavedChangesGuard } from "../../navigation/navigation-guard";
import { useApply } from "../../pending-apply/apply";
import { preloadSaveCode } from "../../pending-apply/notice-slot";
import { useJmapClient, useWithReauthentication } from "../../session/auth";
import { type TlsRules, tlsRulesQuery, writeTlsRules } from "../../stalwart/outbound-tls-rules";
import { BothRuleLists, ClashDialog } from "./clash-dialog";
import { ExceptionDialog } from "./exception-dialog";
import {
  draftFromRules,
  moveRule,
  newRowId,
  type RulesDraft,
  removeRule,
  rulesOf,
  withException,
} from "./model/drafts";
import { findingsOf } from "./model/findings";
import { sameRules } from "./model/read-back";
import { saveRules } from "./model/save-rules";
import { RulesTable } from "./rules-table";
import { outcomeNotice } from "./save-outcome";
import { TryIt } from "./try-it";

// The rules view's working copy and its save: edits stay on screen until saved; a save is
// checked in the browser first (nothing is sent while a row has an error), re-reads the rules
// (two admins at once), writes them whole and reads them back (model/save-rules.ts).

export function RulesEditor({
  latest,
  strategies,
  areStrategiesKnown,
  isReadOnly,
  canApply,
  canCreate,
}: {
  /** The rules as last read; taken in while nothing is edited. */
  latest: TlsRules;
  strategies: readonly string[];
  /** False when the strategies could not be read: names are then not checked against them. */
  areStrategiesKnown: boolean;
  isReadOnly: boolean;
  canApply: boolean;
  canCreate: boolean;
}) {
  const client = useJmapClient();
  const queryClient = useQueryClient();
  const withReauthentication = useWithReauthentication();
  const { forSave } = useApply();
  const [opened, setOpened] = useState(latest);
  const [draft, setDraft] = useState<RulesDraft>(() => draftFromRules(latest));
  const [isAdding, setIsAdding] = useState(false);
  const [isSaving, setIsSaving] = useState(false);
  const [clash, setClash] = useState<{
    theirs: TlsRules;
    mine: TlsRules;
    apply: boolean;
  } | null>(null);
  const [theirs, setTheirs] = useState<TlsRules | null>(null);
  const [outcome, setOutcome] = useState<ReactNode>(null);
  const focusAfterMove = useRef<string | null>(null);

  const current = useMemo(() => rulesOf(draft), [draft]);
  const known = areStrategiesKnown ? strategies : null;
  const findings = useMemo(() => findingsOf(draft, known), [draft, known]);
  const isDirty = current === null || !sameRules(current, opened);
  useUnsavedChangesGuard(isDirty && !isReadOnly);
  useEffect(() => preloadSaveCode(), []);

  // Someone else's change, read while nothing is edited here, is simply shown.
  useEffect(() => {
    if (isSaving || isDirty || sameRules(latest, opened)) return;
    setOpened(latest);
    setDraft(draftFromRules(latest));
  }, [latest, opened, isDirty, isSaving]);

  useEffect(() => {
    const id = focusAfterMove.current;
    if (!id) return;
    focusAfterMove.current = null;
    const button = document.getElementById(id) as HTMLButtonElement | null;
    if (button?.disabled) {
      const other = id.endsWith("-up") ? id.replace(/-up$/, "-down") : id.replace(/-down$/, "-up");
      document.getElementById(other)?.focus();
    } else button?.focus();
  });

  const change = (next: RulesDraft) => {
    setDraft(next);
    setOutcome(null);
  };

  const save = async (apply: boolean, overwrite = false) => {
    if (!current || findings.hasErrors) {
      setOutcome(
        <Notice tone="error">
          Nothing was sent: fix the rows marked as errors first. Stalwart would refuse them, or they
          cannot be written as rules.
        </Notice>,
      );
      return;
    }
    setIsSaving(true);
    setOutcome(null);
    try {
      const result = await withReauthentication(() =>
        saveRules(
          current,
          opened,
          { apply, overwrite },
          {
            read: () => queryClient.fetchQuery({ ...tlsRulesQuery(client), staleTime: 0 }),
            write: (rules, isApply) => writeTlsRules(client, rules, { apply: isApply }),
            effects: forSave(client),
          },
        ),
      );
      setClash(result.kind === "clash" ? { theirs: result.theirs, mine: current, apply } : null);
      if (result.kind === "saved" || result.kind === "notStored") {
        setOpened(result.stored);
        queryClient.setQueryData(tlsRulesQuery(client).queryKey, result.stored);
        setTheirs(null);
      }
      setOutcome(outcomeNotice(result, current));
    } catch (error) {
      setOutcome(
        <Notice tone="error">
          Not saved, as far as the page can tell:{" "}
          {describeError(error, {
            permission: OUTBOUND_STRATEGY_PERMISSIONS.update,
          })}{" "}
          Your rules are still on screen.
        </Notice>,
      );
    } finally {
      setIsSaving(false);
      // Whatever happened, what the list and the destination test know of the rules is old.
      void queryClient.invalidateQueries({ queryKey: ["outbound-strategy"] });
    }
  };

  return (
    <>
      {isReadOnly ? (
        <Notice tone="info">
          You can view these rules but not change them: your account lacks the “
          {OUTBOUND_STRATEGY_PERMISSIONS.update}” permission.
        </Notice>
      ) : null}
      {theirs ? (
        <Notice tone="info">
          <p>Someone else changed the rules since this page read them. Saving replaces theirs.</p>
          <BothRuleLists theirs={theirs} mine={current ?? opened} />
          <button
            type="button"
            className="button"
            onClick={() => {
              setTheirs(null);
              change(draftFromRules(opened));
            }}
          >
            Take theirs
          </button>
        </Notice>
      ) : null}
      {isReadOnly ? null : (
        <div className="actions">
          <button type="button" className="button" onClick={() => setIsAdding(true)}>
            Add an exception
          </button>
          <button
            type="button"
            className="button"
            onClick={() =>
              change({
                ...draft,
                rules: [...draft.rules, { kind: "text", id: newRowId(), if: "", then: "" }],
              })
            }
          >
            Add a rule as text
          </button>
        </div>
      )}
      <RulesTable
        rules={draft.rules}
        otherwise={draft.otherwise}
        findings={findings}
        strategies={strategies}
        isReadOnly={isReadOnly}
        canCreate={canCreate}
        onRuleChange={(index, next) =>
          change({ ...draft, rules: draft.rules.map((rule, i) => (i === index ? next : rule)) })
        }
        onMove={(index, delta) => {
          const id = draft.rules[index]?.id;
          focusAfterMove.current = id ? `${id}-${delta < 0 ? "up" : "down"}` : null;
          change({ ...draft, rules: moveRule(draft.rules, index, delta) });
        }}
        onRemove={(index) => change({ ...draft, rules: removeRule(draft.rules, index) })}
        onOtherwiseChange={(otherwise) => change({ ...draft, otherwise })}
      />
      {outcome}
      {isReadOnly ? null : (
        <div className="actions">
          <button
            type="button"
            className="button button-primary"
            disabled={isSaving || !isDirty}
            onClick={() => void save(false)}
          >
            {isSaving ? "Saving…" : "Save"}
          </button>
          {canApply ? (
            <button
              type="button"
              className="button"
              disabled={isSaving || !isDirty}
              onClick={() => void save(true)}
            >
              Save and apply
            </button>
          ) : null}
        </div>
      )}
      <TryIt rules={current} strategies={known} />
      <ExceptionDialog
        isOpen={isAdding}
        strategies={strategies}
        onClose={() => setIsAdding(false)}
        onAdd={(domain, strategy) => change(withException(draft, domain, strategy))}
      />
      <ClashDialog
        clash={clash}
        isPending={isSaving}
        onSaveMine={() => void save(clash?.apply ?? false, true)}
        onCancel={() => {
          if (clash) {
            setTheirs(clash.theirs);
            setOpened(clash.theirs);
          }
          setClash(null);
        }}
      />
    </>
  );
}

import "../../../components/field.css";
// Over 400 lines on purpose: one react-hook-form instance with its live checks (name,
// security review, the destination test's finding) and the save wiring; cut further, the
// form's state would have to travel between files through props.
import "./form.css";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, type Ref, useEffect, useImperativeHandle, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { Link } from "wouter";
import { Field } from "../../../components/field";
import { hiddenCharacters, ShownText } from "../../../components/shown-text";
import { useUnsavedChangesGuard } from "../../../navigation/navigation-guard";
import { useJmapClient, useWithReauthentication } from "../../../session/auth";
import { lastListPath } from "../data/last-list-view";
import { storedNamesQuery } from "../data/stored-names-query";
import {
  applyPatch,
  compareWithBaseline,
  editedProperties,
  isSameStrategy,
  type StrategyValues,
  type TlsStrategyFormInput,
} from "../model/changes";
import { FIELDS } from "../model/fields";
import { findLookalike, type Lookalike } from "../model/name-lookalike";
import { type Finding, reviewSecurity, type SecurityValues } from "../model/security-rules";
import type { FormControl, Submission, SubmitOutcome } from "./contracts";
import { DestinationSlot } from "./destination-slot";
import {
  createFormSchema,
  editFormSchema,
  type TlsStrategyFormOutput,
  toFormValues,
} from "./form-schema";
import { NameInUse, useNameCheck } from "./name-check";
import { type FormProblem, FormProblemNotice, PROBLEM_ID } from "./problem-notice";
import { useSaveQuestions } from "./questions";
import { SecurityReview } from "./security-review";
import { placeServerError } from "./server-error";
import {
  CertificateCheckbox,
  DurationInput,
  defaultInput,
  type FieldsContext,
  PolicySelect,
} from "./strategy-fields";

interface TlsStrategyFormProps {
  mode: "create" | "edit";
  /**
   * What the form starts from and what "changed" is measured against: the stored strategy
   * (edit), or the defaults or the strategy being duplicated (create). A new baseline resets
   * the form only while it holds no changes; the page passes one only then.
   */
  baseline: StrategyValues;
  /** Rejects with the client's typed errors; they are shown on their fields. */
  onSubmit: (submission: Submission) => Promise<SubmitOutcome>;
  /** The permission a `forbidden` answer means is missing. */
  permission: string;
  /** A view without saving, for an admin who may not change strategies. */
  isReadOnly?: boolean;
  /** More buttons next to the submit button (Delete on the edit page). */
  actions?: ReactNode;
  /** Told whenever it changes whether the form holds anything a save or a leave would touch. */
  onHasChangesChange?: (hasChanges: boolean) => void;
  /** Offer "Save and apply": the account may reload the settings. */
  canApply?: boolean;
  /** For the page: which properties the admin has edited, read at the moment of asking. */
  controlRef?: Ref<FormControl>;
}

interface NameConflict {
  name: string;
  id: string;
}

function securityValues(values: StrategyValues): SecurityValues {
  const { startTls, dane, mtaSts, allowInvalidCerts, tlsTimeout, mtaStsTimeout } = values;
  return { startTls, dane, mtaSts, allowInvalidCerts, tlsTimeout, mtaStsTimeout };
}

export function TlsStrategyForm({
  mode,
  baseline,
  onSubmit,
  permission,
  isReadOnly = false,
  actions,
  onHasChangesChange,
  controlRef,
  canApply = false,
}: TlsStrategyFormProps) {
  const isEdit = mode === "edit";
  const client = useJmapClient();
  const withReauthentication = useWithReauthentication();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [conflict, setConflict] = useState<NameConflict | null>(null);
  const questions = useSaveQuestions();
  const {
    register,
    handleSubmit,
    watch,
    getValues,
    setError,
    setValue,
    setFocus,
    formState: { errors, isSubmitting },
  } = useForm<TlsStrategyFormInput, unknown, TlsStrategyFormOutput>({
    resolver: zodResolver(isEdit ? editFormSchema : createFormSchema),
    defaultValues: toFormValues(baseline),
    mode: "onTouched",
  });

  // --- What the form would change, by meaning: one comparison for everything (README,
  // "Changed means changed in meaning").
  const input = watch();
  const comparison = compareWithBaseline(baseline, input, mode);
  const hasChanges = comparison.hasChanges && !isReadOnly;
  useUnsavedChangesGuard(hasChanges);
  useEffect(() => onHasChangesChange?.(hasChanges), [hasChanges, onHasChangesChange]);

  // A new baseline (the server's newer version) shows in every field the admin has not
  // edited; what the admin typed stays (README, "Typed work is never replaced").
  const shownBaseline = useRef(baseline);
  useImperativeHandle(
    controlRef,
    () => ({
      editedProperties: () =>
        editedProperties(compareWithBaseline(shownBaseline.current, getValues(), mode)),
    }),
    [getValues, mode],
  );
  useEffect(() => {
    const previous = shownBaseline.current;
    if (isSameStrategy(previous, baseline)) return;
    const edited = editedProperties(compareWithBaseline(previous, getValues(), mode));
    shownBaseline.current = baseline;
    const next = toFormValues(baseline);
    for (const key of Object.keys(next) as (keyof TlsStrategyFormInput)[]) {
      if (key === "name" ? mode === "create" : edited.includes(key)) continue;
      if (getValues(key) !== next[key])
        setValue(key, next[key] as never, { shouldValidate: false });
    }
  }, [baseline, getValues, setValue, mode]);

  // --- Is the name free? Asked while typing, before the server is asked to create it.
  const typedName = input.name.trim();
  const nameCheck = useNameCheck(client, typedName, !isEdit);
  const takenBy = nameCheck.takenBy;
  // A look-alike found at the click (fresh names), or while typing.
  const queryClient = useQueryClient();
  const [lookalikeOf, setLookalikeOf] = useState<Lookalike | null>(null);
  const shownLookalike = lookalikeOf ?? nameCheck.lookalike;

  // --- The security review, live, from what the form holds now.
  const seen = securityValues(applyPatch(baseline, comparison.patch));
  const unreadable: readonly string[] = comparison.unreadable;
  // A draft that bounces or downgrades what the saved strategy delivers to a tested domain
  // (destination-test.tsx) is a finding too.
  const [regression, setRegression] = useState<Finding | null>(null);
  const deliveryFindings = regression ? [regression] : [];
  const findings = reviewSecurity(seen)
    .filter((finding) => !finding.fields.some((field) => unreadable.includes(field)))
    .concat(deliveryFindings);

  const save = async (submission: Omit<Submission, "confirm" | "whileAsking">) => {
    setProblem(null);
    setConflict(null);
    try {
      const outcome = await withReauthentication(() =>
        onSubmit({ ...submission, confirm: questions.confirm, whileAsking: questions.whileAsking }),
      );
      if (outcome?.kind === "blocked") {
        setProblem(outcome);
        // Read first: why it was refused. The fields above show the same finding.
        setTimeout(() => document.getElementById(PROBLEM_ID)?.focus(), 0);
      } else if (outcome?.kind === "nothing-to-save") {
        setProblem({ kind: "info", message: outcome.message });
      }
    } catch (error) {
      showServerError(error, submission.values);
    }
  };

  const showServerError = (error: unknown, values: TlsStrategyFormOutput) => {
    // The server's verdict lands on the field it names; what the user typed stays.
    const placed = placeServerError(error, permission);
    if (placed.kind === "name-taken") {
      setConflict({ name: values.name, id: placed.id });
      setError("name", { type: "server", message: "" }, { shouldFocus: true });
    } else if (placed.kind === "fields") {
      placed.fields.forEach(({ property, message }, index) => {
        setError(property, { type: "server", message }, { shouldFocus: index === 0 });
      });
    } else {
      setProblem({ kind: "error", message: placed.message, canRetry: placed.canRetry });
    }
  };

  // Which button sent the form: Enter in a field is Save, the first submit button.
  const intent = useRef<Submission["intent"]>("save");
  const [savingWith, setSavingWith] = useState<Submission["intent"]>("save");
  // While a save runs, from the click until the server's last answer (questions included),
  // the fields are locked: what is typed then could be neither sent nor kept, so it cannot
  // be typed (README, "Typed work is never lost during a save"). "Saving…" shows only while
  // the server is being asked.
  const isLocked = isSubmitting;
  const isSending = isSubmitting && questions.questionsOpen === 0;
  const submit = handleSubmit(async (values) => {
    setProblem(null);
    setSavingWith(intent.current);
    if (takenBy) {
      setConflict({ name: values.name, id: takenBy });
      setError("name", { type: "server", message: "" }, { shouldFocus: true });
      return;
    }
    if (!isEdit) {
      // Checked again at the click, against every name, even if typing outran the check. A
      // failed read leaves it to the server's own check of the exact name.
      const stored = await queryClient
        .fetchQuery({ ...storedNamesQuery(client), staleTime: 0 })
        .catch(() => null);
      const found = stored ? findLookalike(values.name, stored.names) : null;
      if (found) {
        setLookalikeOf(found);
        setError("name", { type: "server", message: "" }, { shouldFocus: true });
        return;
      }
    }
    await save({
      intent: intent.current,
      values,
      comparison,
      seen,
      deliveryFindings,
      startedAt: window.location.href,
    });
  });

  const fields: FieldsContext = {
    register,
    errors,
    findings,
    input,
    isReadOnly,
    reset: (name) => {
      setValue(name, defaultInput(name) as never, {
        shouldDirty: true,
        shouldValidate: true,
        shouldTouch: true,
      });
      // The button goes away with the difference: focus the field it reset.
      setFocus(name);
    },
  };

  const revealed = (text: string, kind: "name" | "text") =>
    hiddenCharacters(text, kind).length > 0 ? (
      <>
        Contains invisible or direction-changing characters, shown here as{" "}
        <ShownText text={text} kind={kind} />.
      </>
    ) : null;

  const nameDetail = isEdit ? (
    revealed(input.name, "name")
  ) : nameCheck.isFree && !lookalikeOf ? (
    <>
      “<ShownText text={typedName} />” is free.
    </>
  ) : null;
  const shownConflict = conflict ?? (takenBy ? { name: typedName, id: takenBy } : null);
  const nameError = shownConflict ? (
    <NameInUse name={shownConflict.name} holder={shownConflict} />
  ) : shownLookalike ? (
    <NameInUse name={typedName} holder={{ ...shownLookalike, lookalike: shownLookalike.reason }} />
  ) : (
    errors.name?.message
  );

  return (
    <form onSubmit={submit} noValidate className="form" aria-busy={isSending}>
      <fieldset className="card" disabled={isLocked}>
        <legend>TLS Strategy</legend>
        <Field
          label={FIELDS.name.label}
          help={
            isEdit ? `${FIELDS.name.help} It cannot be changed after creation.` : FIELDS.name.help
          }
          // On create, the line where "is free" appears is kept even before it does, so the
          // fields and buttons below never move while the name is checked.
          detail={nameDetail ?? (isEdit ? null : "\u00a0")}
          error={nameError}
        >
          {(control) => (
            <input
              {...control}
              readOnly={isEdit || isReadOnly}
              autoComplete="off"
              spellCheck={false}
              {...register("name", {
                onChange: () => {
                  setConflict(null);
                  setLookalikeOf(null);
                },
              })}
            />
          )}
        </Field>
        <Field
          label={FIELDS.description.label}
          help={FIELDS.description.help}
          detail={revealed(input.description, "text")}
          error={errors.description?.message}
        >
          {(control) => (
            <input
              {...control}
              readOnly={isReadOnly}
              autoComplete="off"
              {...register("description")}
            />
          )}
        </Field>
      </fieldset>

      <fieldset className="card" disabled={isLocked}>
        <legend>Security Requirements</legend>
        <PolicySelect name="dane" form={fields} />
        <PolicySelect name="mtaSts" form={fields} />
        <PolicySelect name="startTls" form={fields} />
        <CertificateCheckbox form={fields} />
      </fieldset>

      <fieldset className="card" disabled={isLocked}>
        <legend>Timeouts</legend>
        <DurationInput name="tlsTimeout" form={fields} />
        <DurationInput name="mtaStsTimeout" form={fields} />
      </fieldset>

      <DestinationSlot
        saved={isEdit ? { name: baseline.name, ...securityValues(baseline) } : null}
        draft={{ name: baseline.name, ...seen }}
        onFinding={setRegression}
      />

      <SecurityReview findings={findings} />

      <FormProblemNotice
        problem={problem}
        // What is on screen now is what a retry saves, through the same checks.
        onRetry={() => void submit()}
        retryLabel={savingWith === "apply" ? "Try again (save and apply)" : "Try again"}
        isRetrying={isSubmitting}
      />

      <div className="actions">
        {isReadOnly ? null : (
          <button
            type="submit"
            className="button button-primary"
            disabled={isSubmitting || (isEdit && !comparison.hasChanges)}
            onClick={() => {
              intent.current = "save";
            }}
          >
            {isSending && savingWith === "save"
              ? isEdit
                ? "Saving…"
                : "Creating…"
              : isEdit
                ? "Save"
                : "Create"}
          </button>
        )}
        {isReadOnly || !canApply ? null : (
          <button
            type="submit"
            className="button"
            disabled={isSubmitting || (isEdit && !comparison.hasChanges)}
            aria-describedby="save-and-apply-help"
            onClick={() => {
              intent.current = "apply";
            }}
          >
            {isSending && savingWith === "apply" ? "Saving and applying…" : "Save and apply"}
          </button>
        )}
        {isSending ? (
          <span className="muted">The fields are locked until the server answers.</span>
        ) : null}
        <Link href={lastListPath()} className="button">
          {isReadOnly ? "Back to the list" : "Cancel"}
        </Link>
        {/* Delete, locked with the fields: nothing else is sent while a save is. */}
        {actions ? (
          <fieldset className="plain-fieldset" disabled={isLocked}>
            {actions}
          </fieldset>
        ) : null}
      </div>
      {isReadOnly ? null : (
        <p className="field-help" id="save-and-apply-help">
          {canApply
            ? `${isEdit ? "Save" : "Create"} stores the ${isEdit ? "change" : "strategy"}; Stalwart delivers with it once its settings are reloaded. Save and apply also reloads them, in the same request.`
            : "Stalwart delivers with a saved change once its settings are reloaded, which an administrator must do."}
        </p>
      )}

      {questions.dialog}
    </form>
  );
}

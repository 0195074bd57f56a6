import "../../components/findings.css";
import { zodResolver } from "@hookform/resolvers/zod";
import "./form.css";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, type Ref, useEffect, useImperativeHandle, useRef, useState } from "react";
import { type Path, useForm } from "react-hook-form";
import { Link } from "wouter";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { describeError } from "../../components/describe-error";
import { Field } from "../../components/field";
import { Notice } from "../../components/notice";
import { hiddenCharacters, ShownText } from "../../components/shown-text";
import { RequestError, SetObjectError, TransportError } from "../../jmap/errors";
import { TLS_POLICIES } from "../../jmap/protocol";
import { useJmapClient, useWithReauthentication } from "../../session/auth";
import { useUnsavedChangesGuard } from "../../session/navigation-guard";
import { ChangeList, TheirChanges } from "./change-list";
import {
  applyPatch,
  type Change,
  type Comparison,
  compareWithBaseline,
  displayValue,
  type EditableProperty,
  editedProperties,
  isSameStrategy,
  type StrategyValues,
} from "./changes";
import { describeDuration, formatDuration, parseDuration } from "./duration";
import {
  createFormSchema,
  editFormSchema,
  nameProblem,
  type TlsStrategyFormInput,
  type TlsStrategyFormOutput,
  toFormValues,
} from "./form-schema";
import { lastListPath } from "./last-list-view";
import { describeLookalike, findLookalike, type Lookalike } from "./name-lookalike";
import { editPath } from "./paths";
import { tlsStrategyQueries } from "./queries";
import { FIELDS, POLICY_LABELS, STRATEGY_DEFAULTS } from "./schema";
import {
  anchorField,
  type Finding,
  reviewSecurity,
  type SecurityField,
  type SecurityValues,
} from "./security-rules";

type FieldName = Path<TlsStrategyFormInput>;
type DefaultedField = keyof typeof STRATEGY_DEFAULTS;

const FORM_FIELDS = new Set<string>(Object.keys(FIELDS));
const NAME_CHECK_DELAY_MS = 400;

/** The form's text for a default, as the field holds it. */
function defaultInput(key: DefaultedField): string | boolean | null {
  const value = STRATEGY_DEFAULTS[key];
  return typeof value === "number" ? formatDuration(value) : value;
}

const findingId = (finding: Finding) => `finding-${finding.id}`;
const PROBLEM_ID = "save-refused";

/** A confirmation before saving: the findings to accept and what the save changes. */
export interface ConfirmRequest {
  title: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  /** What to accept: introduced or changed by this save, or not seen on screen. */
  findings: Finding[];
  /** What this save changes ("What changes") or how it differs from the defaults. */
  changes: { heading: string; items: Change[] };
  /** What someone else changed since the form was loaded, kept by this save. */
  theirs: Change[];
  intro?: ReactNode;
}

/** What the form hands to the page when the admin saves valid values. */
export interface Submission {
  /** "apply": Save and apply, a settings reload in the same request (shared reference §11). */
  intent: "save" | "apply";
  values: TlsStrategyFormOutput;
  /** The form against its baseline, by meaning: the patch a save sends. */
  comparison: Comparison;
  /** The values the admin reviewed on screen, for the security review of the save. */
  seen: SecurityValues;
  /** Where the admin was when they pressed Save (`location.href`): see FlashMessage. */
  startedAt: string;
  /** Asks the admin to confirm; resolves true to go on. */
  confirm: (request: ConfirmRequest) => Promise<boolean>;
  /**
   * For a question the page asks in a dialog of its own (which value to keep): while it is
   * open, the form says it is waiting for an answer, not "Saving…".
   */
  whileAsking: <T>(question: Promise<T>) => Promise<T>;
}

/** Why a save did not go out, shown in the form (the page decides, after its own checks). */
export type SubmitOutcome =
  | { kind: "blocked"; findings: Finding[]; theirs: Change[] }
  | { kind: "nothing-to-save"; message: string }
  | undefined;

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

/** What a page may ask of the form while it runs (between renders). */
export interface FormControl {
  /** The properties whose text differs in meaning from the baseline, or cannot be read. */
  editedProperties: () => EditableProperty[];
}

interface NameConflict {
  name: string;
  id: string;
}

type FormProblem =
  | { kind: "error"; message: string; canRetry: boolean }
  | { kind: "blocked"; findings: Finding[]; theirs: Change[] }
  | { kind: "info"; message: string };

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
  const [confirmation, setConfirmation] = useState<
    (ConfirmRequest & { resolve: (isConfirmed: boolean) => void }) | null
  >(null);
  // How many questions of this save are open (a confirmation, which value to keep).
  const [questionsOpen, setQuestionsOpen] = useState(0);
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

  // --- What the form would change, by meaning (one comparison for everything, issue 7 §1).
  const input = watch();
  const comparison = compareWithBaseline(baseline, input, mode);
  const hasChanges = comparison.hasChanges && !isReadOnly;
  useUnsavedChangesGuard(hasChanges);
  useEffect(() => onHasChangesChange?.(hasChanges), [hasChanges, onHasChangesChange]);

  // A new baseline (the server's newer version) shows in every field the admin has not
  // edited; what the admin typed stays (issue 7 §2).
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
  const [checkedName, setCheckedName] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setCheckedName(typedName), NAME_CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typedName]);
  const nameCheck = useQuery({
    ...tlsStrategyQueries.byName(client, checkedName),
    enabled: !isEdit && nameProblem(checkedName) === null,
  });
  const takenBy = !isEdit && nameCheck.data && checkedName === typedName ? nameCheck.data : null;
  // A name that only looks like another (another Unicode form, capitals, look-alike letters)
  // is refused too, naming the one it looks like (name-lookalike.ts): Stalwart would keep
  // them apart, but an admin reading the list could not.
  const queryClient = useQueryClient();
  const storedNames = useQuery({ ...tlsStrategyQueries.allNames(client), enabled: !isEdit });
  const [lookalikeOf, setLookalikeOf] = useState<Lookalike | null>(null);
  const typedLookalike =
    !isEdit && storedNames.data && checkedName === typedName && nameProblem(typedName) === null
      ? findLookalike(typedName, storedNames.data.names)
      : null;
  const shownLookalike = lookalikeOf ?? typedLookalike;

  // --- The security review, live, from what the form holds now.
  const seen = securityValues(applyPatch(baseline, comparison.patch));
  const unreadable: readonly string[] = comparison.unreadable;
  const findings = reviewSecurity(seen).filter(
    (finding) => !finding.fields.some((field) => unreadable.includes(field)),
  );
  const findingsOf = (field: SecurityField) => findings.filter((f) => f.fields.includes(field));

  const whileAsking = <T,>(question: Promise<T>): Promise<T> => {
    setQuestionsOpen((open) => open + 1);
    return question.finally(() => setQuestionsOpen((open) => open - 1));
  };
  const confirm = (request: ConfirmRequest) =>
    whileAsking(
      new Promise<boolean>((resolve) => setConfirmation({ ...request, resolve })).finally(() =>
        setConfirmation(null),
      ),
    );

  const save = async (submission: Omit<Submission, "confirm" | "whileAsking">) => {
    setProblem(null);
    setConflict(null);
    try {
      const outcome = await withReauthentication(() =>
        onSubmit({ ...submission, confirm, whileAsking }),
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
    if (!(error instanceof SetObjectError)) {
      const canRetry =
        error instanceof TransportError || (error instanceof RequestError && error.status >= 500);
      setProblem({ kind: "error", message: describeError(error, { permission }), canRetry });
      return;
    }
    const { setError: serverError } = error;
    if (serverError.type === "primaryKeyViolation" && serverError.objectId) {
      setConflict({ name: values.name, id: serverError.objectId.id });
      setError("name", { type: "server", message: "" }, { shouldFocus: true });
      return;
    }
    const onFields: { property: string; message: string }[] = [];
    for (const property of serverError.properties ?? []) {
      onFields.push({
        property,
        message: `The server refused this value: ${serverError.description ?? serverError.type}`,
      });
    }
    for (const item of serverError.validationErrors ?? []) {
      onFields.push({
        property: item.property,
        message:
          item.type === "Required"
            ? "The server requires a value here."
            : `The server refused this value (${item.type}).`,
      });
    }
    const known = onFields.filter(({ property }) => FORM_FIELDS.has(property));
    known.forEach(({ property, message }, index) => {
      setError(property as FieldName, { type: "server", message }, { shouldFocus: index === 0 });
    });
    if (known.length === 0)
      setProblem({ kind: "error", message: describeError(error, { permission }), canRetry: false });
  };

  // Which button sent the form: Enter in a field is Save, the first submit button.
  const intent = useRef<Submission["intent"]>("save");
  const [savingWith, setSavingWith] = useState<Submission["intent"]>("save");
  // While a save runs, from the click until the server's last answer (questions included),
  // the fields are locked: what is typed then could be neither sent nor kept, so it cannot
  // be typed (issue 16 §1). "Saving…" shows only while the server is being asked.
  const isLocked = isSubmitting;
  const isSending = isSubmitting && questionsOpen === 0;
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
        .fetchQuery({ ...tlsStrategyQueries.allNames(client), staleTime: 0 })
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
      startedAt: window.location.href,
    });
  });

  const resetButton = (name: DefaultedField) => {
    const fallback = defaultInput(name);
    const current = input[name as keyof TlsStrategyFormInput];
    const parsed = parseDuration(String(current));
    const isDefault =
      name === "tlsTimeout" || name === "mtaStsTimeout"
        ? parsed.ok && parsed.ms === STRATEGY_DEFAULTS[name]
        : current === fallback;
    if (isDefault || isReadOnly) return null;
    return (
      // Named by its text, not aria-label: an aria-label would label it to `getByLabel`, so
      // "DANE" would find this button as well as the DANE select (issue 10 §2). All of the
      // text is visible: the name a voice-control user says is the one on screen (WCAG 2.5.3).
      <button
        type="button"
        className="link-button"
        onClick={() => {
          setValue(name as FieldName, fallback as never, {
            shouldDirty: true,
            shouldValidate: true,
            shouldTouch: true,
          });
          // The button goes away with the difference: focus the field it reset.
          setFocus(name as FieldName);
        }}
      >
        Reset {FIELDS[name].label} to default
      </button>
    );
  };

  const defaultNote = (name: DefaultedField, extra = "") => (
    <>
      {FIELDS[name].help}
      {extra} Default: {displayValue(name, STRATEGY_DEFAULTS[name])}. {resetButton(name)}
    </>
  );

  /** The findings shown beside a field: those whose last field (in form order) it is. */
  const findingNotes = (field: SecurityField) => {
    const anchored = findings.filter((finding) => anchorField(finding) === field);
    if (anchored.length === 0) return null;
    return (
      <ul className="field-findings">
        {anchored.map((finding) => (
          <li
            key={finding.id}
            id={findingId(finding)}
            className={`finding finding-${finding.severity}`}
          >
            <strong>{finding.severity === "error" ? "Error: " : "Warning: "}</strong>
            {finding.message}
          </li>
        ))}
      </ul>
    );
  };
  const findingIds = (field: SecurityField) => findingsOf(field).map(findingId);

  const durationDetail = (name: "tlsTimeout" | "mtaStsTimeout") => {
    const parsed = parseDuration(input[name]);
    return parsed.ok && !errors[name] ? `= ${describeDuration(parsed.ms)}` : null;
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
  ) : !takenBy &&
    !shownLookalike &&
    nameCheck.data === null &&
    storedNames.data &&
    checkedName === typedName &&
    nameProblem(typedName) === null ? (
    <>
      “<ShownText text={typedName} />” is free.
    </>
  ) : null;
  const shownConflict = conflict ?? (takenBy ? { name: typedName, id: takenBy } : null);
  const nameError = shownConflict ? (
    <>
      A strategy named “<ShownText text={shownConflict.name} />” already exists.{" "}
      <Link href={editPath(shownConflict.id)}>
        Open “<ShownText text={shownConflict.name} />”
      </Link>
    </>
  ) : shownLookalike ? (
    <>
      “<ShownText text={typedName} />” looks the same as the existing strategy “
      <ShownText text={shownLookalike.name} />
      ”: {describeLookalike(shownLookalike.reason)}. Stalwart would keep the two apart, but no one
      reading the list could. Choose another name.{" "}
      <Link href={editPath(shownLookalike.id)}>
        Open “<ShownText text={shownLookalike.name} />”
      </Link>
    </>
  ) : (
    errors.name?.message
  );

  const policyHelp = {
    dane: " With Optional or Required, a DNSSEC “bogus” answer defers mail to that domain; if the server's resolver cannot validate DNSSEC, Stalwart turns DANE off without a word.",
    mtaSts: " Policies in testing mode are not enforced.",
    startTls: "",
  } as const;

  const policySelect = (name: "dane" | "mtaSts" | "startTls") => (
    <Field
      label={FIELDS[name].label}
      help={defaultNote(name, policyHelp[name])}
      error={errors[name]?.message}
      describedBy={findingIds(name)}
      notes={findingNotes(name)}
    >
      {(control) => (
        <select {...control} disabled={isReadOnly} {...register(name)}>
          {TLS_POLICIES.map((policy) => (
            <option key={policy} value={policy}>
              {POLICY_LABELS[policy]}
            </option>
          ))}
        </select>
      )}
    </Field>
  );

  const durationInput = (name: "tlsTimeout" | "mtaStsTimeout") => (
    <Field
      label={FIELDS[name].label}
      help={defaultNote(name)}
      detail={durationDetail(name)}
      error={errors[name]?.message}
      describedBy={findingIds(name)}
      notes={findingNotes(name)}
    >
      {(control) => (
        <input
          {...control}
          readOnly={isReadOnly}
          inputMode="text"
          autoComplete="off"
          spellCheck={false}
          {...register(name)}
        />
      )}
    </Field>
  );

  const certificateDescription = [
    errors.allowInvalidCerts ? "allowInvalidCerts-error" : null,
    ...findingIds("allowInvalidCerts"),
    "allowInvalidCerts-help",
  ]
    .filter(Boolean)
    .join(" ");

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
        {policySelect("dane")}
        {policySelect("mtaSts")}
        {policySelect("startTls")}
        <div
          className="field field-checkbox"
          data-invalid={errors.allowInvalidCerts ? true : undefined}
        >
          <input
            type="checkbox"
            id="allowInvalidCerts"
            disabled={isReadOnly}
            aria-describedby={certificateDescription}
            aria-invalid={Boolean(errors.allowInvalidCerts)}
            {...register("allowInvalidCerts")}
          />
          <label htmlFor="allowInvalidCerts">{FIELDS.allowInvalidCerts.label}</label>
          {errors.allowInvalidCerts ? (
            <p className="field-error" id="allowInvalidCerts-error">
              {errors.allowInvalidCerts.message}
            </p>
          ) : null}
          <p className="field-help" id="allowInvalidCerts-help">
            {FIELDS.allowInvalidCerts.help} Accepting them removes protection against interception;
            domains with an enforcing MTA-STS policy have their certificates checked anyway.
            Default: No. {resetButton("allowInvalidCerts")}
          </p>
          {findingNotes("allowInvalidCerts")}
        </div>
      </fieldset>

      <fieldset className="card" disabled={isLocked}>
        <legend>Timeouts</legend>
        {durationInput("tlsTimeout")}
        {durationInput("mtaStsTimeout")}
      </fieldset>

      {/* Focusable by script only (tabIndex -1): focused when a save is refused, so it is read first. */}
      <section
        id="security-review"
        aria-labelledby="security-review-heading"
        className="card review"
      >
        <h2 id="security-review-heading">Security review</h2>
        {/* Always present, so that the first finding to appear is announced too. */}
        <div aria-live="polite">
          {findings.length === 0 ? (
            <p className="muted">
              No concerns: these settings deliver mail with opportunistic or required TLS.
            </p>
          ) : (
            <ul>
              {findings.map((finding) => (
                <li key={finding.id} className={`finding finding-${finding.severity}`}>
                  <strong>{finding.severity === "error" ? "Error: " : "Warning: "}</strong>
                  {finding.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      </section>

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

      <ConfirmDialog
        isOpen={confirmation !== null}
        title={confirmation?.title ?? ""}
        confirmLabel={confirmation?.confirmLabel ?? ""}
        cancelLabel={confirmation?.cancelLabel ?? "Go back"}
        tone="primary"
        onConfirm={() => confirmation?.resolve(true)}
        onCancel={() => confirmation?.resolve(false)}
      >
        {confirmation?.intro}
        {confirmation && confirmation.findings.length > 0 ? (
          <ul className="warning-list">
            {confirmation.findings.map((finding) => (
              <li key={finding.id}>{finding.message}</li>
            ))}
          </ul>
        ) : null}
        {confirmation && confirmation.changes.items.length > 0 ? (
          <>
            <h3>{confirmation.changes.heading}</h3>
            <ChangeList changes={confirmation.changes.items} />
          </>
        ) : null}
        {confirmation && confirmation.theirs.length > 0 ? (
          <TheirChanges changes={confirmation.theirs} />
        ) : null}
      </ConfirmDialog>
    </form>
  );
}

function FormProblemNotice({
  problem,
  onRetry,
  retryLabel,
  isRetrying,
}: {
  problem: FormProblem | null;
  onRetry: () => void;
  retryLabel: string;
  isRetrying: boolean;
}) {
  if (!problem) return null;
  if (problem.kind === "info") return <Notice tone="info">{problem.message}</Notice>;
  if (problem.kind === "blocked") {
    return (
      <Notice tone="error" id={PROBLEM_ID}>
        <p>Not saved. This combination cannot deliver mail:</p>
        <ul>
          {problem.findings.map((finding) => (
            <li key={finding.id}>{finding.message}</li>
          ))}
        </ul>
        {problem.theirs.length > 0 ? (
          <>
            <TheirChanges changes={problem.theirs} />
            <p>
              The form now shows their values. Change the fields above to settle it: your values
              replace theirs.
            </p>
          </>
        ) : null}
      </Notice>
    );
  }
  return (
    <Notice tone="error">
      <p>{problem.message}</p>
      {problem.canRetry ? (
        <button type="button" className="button" onClick={onRetry} disabled={isRetrying}>
          {retryLabel}
        </button>
      ) : null}
    </Notice>
  );
}

import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useEffect, useState } from "react";
import { type Path, useForm } from "react-hook-form";
import { Link } from "wouter";
import { useJmapClient, useWithReauthentication } from "../../app/auth";
import { useUnsavedChangesGuard } from "../../app/navigation-guard";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { Field } from "../../components/field";
import { Notice } from "../../components/notice";
import { describeError } from "../../jmap/describe-error";
import { RequestError, SetObjectError, TransportError } from "../../jmap/errors";
import { TLS_POLICIES } from "../../jmap/protocol";
import { describeDuration, formatDuration, parseDuration } from "./duration";
import {
  NAME_PATTERN,
  type TlsStrategyFormInput,
  type TlsStrategyFormOutput,
  tlsStrategyFormSchema,
} from "./form-schema";
import { lastListPath } from "./last-list-view";
import { editPath } from "./paths";
import { tlsStrategyQueries } from "./queries";
import {
  FIELDS,
  POLICY_LABELS,
  STRATEGY_DEFAULTS,
  type TlsStrategy,
  type TlsStrategyProperty,
} from "./schema";
import { type Finding, reviewSecurity } from "./security-rules";

type FieldName = Path<TlsStrategyFormInput>;
type DefaultedField = keyof typeof STRATEGY_DEFAULTS;

const FORM_FIELDS = new Set<string>(Object.keys(FIELDS));
const NAME_CHECK_DELAY_MS = 400;

/** A value as the admin reads it: "Required", "5m", "Yes", "(none)". */
export function displayValue(key: TlsStrategyProperty, value: unknown): string {
  if (value === null || value === "") return "(none)";
  if (key === "dane" || key === "mtaSts" || key === "startTls")
    return POLICY_LABELS[value as TlsStrategy["dane"]];
  if (key === "allowInvalidCerts") return value ? "Yes" : "No";
  if (key === "tlsTimeout" || key === "mtaStsTimeout") return formatDuration(value as number);
  return String(value);
}

/** The form's text for a default, as the field holds it. */
function defaultInput(key: DefaultedField): string | boolean | null {
  const value = STRATEGY_DEFAULTS[key];
  return typeof value === "number" ? formatDuration(value) : value;
}

interface TlsStrategyFormProps {
  mode: "create" | "edit";
  defaultValues: TlsStrategyFormInput;
  /** What the values are compared with in the summary of changes. */
  baseline: Omit<TlsStrategy, "id">;
  /** Rejects with the client's typed errors; they are shown on their fields. */
  onSubmit: (values: TlsStrategyFormOutput) => Promise<void>;
  /** The permission a `forbidden` answer means is missing. */
  permission: string;
  /** A view without saving, for an admin who may not change strategies. */
  isReadOnly?: boolean;
  /** More buttons next to the submit button (Delete on the edit page). */
  actions?: ReactNode;
}

interface NameConflict {
  name: string;
  id: string;
}

interface Review {
  warnings: Finding[];
  changes: { label: string; from: string; to: string }[];
  resolve: (isConfirmed: boolean) => void;
}

export function TlsStrategyForm({
  mode,
  defaultValues,
  baseline,
  onSubmit,
  permission,
  isReadOnly = false,
  actions,
}: TlsStrategyFormProps) {
  const isEdit = mode === "edit";
  const client = useJmapClient();
  const withReauthentication = useWithReauthentication();
  const [formError, setFormError] = useState<{ message: string; canRetry: boolean } | null>(null);
  const [conflict, setConflict] = useState<NameConflict | null>(null);
  const [review, setReview] = useState<Review | null>(null);
  const [lastValues, setLastValues] = useState<TlsStrategyFormOutput | null>(null);
  const {
    register,
    handleSubmit,
    watch,
    setError,
    setValue,
    formState: { errors, isDirty, isSubmitting },
  } = useForm<TlsStrategyFormInput, unknown, TlsStrategyFormOutput>({
    resolver: zodResolver(tlsStrategyFormSchema),
    defaultValues,
    mode: "onTouched",
  });
  useUnsavedChangesGuard(isDirty && !isReadOnly);

  // --- Is the name free? Asked while typing, before the server is asked to create it.
  const typedName = watch("name").trim();
  const [checkedName, setCheckedName] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setCheckedName(typedName), NAME_CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typedName]);
  const nameCheck = useQuery({
    ...tlsStrategyQueries.byName(client, checkedName),
    enabled: !isEdit && NAME_PATTERN.test(checkedName),
  });
  const takenBy = !isEdit && nameCheck.data && checkedName === typedName ? nameCheck.data : null;

  // --- The security review, live, from what the form holds now.
  const watched = watch();
  const tlsTimeout = parseDuration(watched.tlsTimeout);
  const mtaStsTimeout = parseDuration(watched.mtaStsTimeout);
  const findings = reviewSecurity({
    startTls: watched.startTls,
    dane: watched.dane,
    mtaSts: watched.mtaSts,
    allowInvalidCerts: watched.allowInvalidCerts,
    tlsTimeout: tlsTimeout.ok ? tlsTimeout.ms : STRATEGY_DEFAULTS.tlsTimeout,
    mtaStsTimeout: mtaStsTimeout.ok ? mtaStsTimeout.ms : STRATEGY_DEFAULTS.mtaStsTimeout,
  })
    .filter((finding) => (finding.id === "tlsTimeout-unusual" ? tlsTimeout.ok : true))
    .filter((finding) => (finding.id === "mtaStsTimeout-unusual" ? mtaStsTimeout.ok : true));
  const securityErrors = findings.filter((f) => f.severity === "error");
  const warnings = findings.filter((f) => f.severity === "warning");

  const save = async (values: TlsStrategyFormOutput) => {
    setFormError(null);
    setConflict(null);
    setLastValues(values);
    try {
      await withReauthentication(() => onSubmit(values));
    } catch (error) {
      showServerError(error, values);
    }
  };

  const showServerError = (error: unknown, values: TlsStrategyFormOutput) => {
    // The server's verdict lands on the field it names; what the user typed stays.
    if (!(error instanceof SetObjectError)) {
      const canRetry =
        error instanceof TransportError || (error instanceof RequestError && error.status >= 500);
      setFormError({ message: describeError(error, { permission }), canRetry });
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
      setFormError({ message: describeError(error, { permission }), canRetry: false });
  };

  const submit = handleSubmit(async (values) => {
    setFormError(null);
    if (takenBy) {
      setConflict({ name: values.name, id: takenBy });
      setError("name", { type: "server", message: "" }, { shouldFocus: true });
      return;
    }
    if (securityErrors.length > 0) {
      setFormError({
        message: "This combination cannot deliver mail: see the security review above.",
        canRetry: false,
      });
      document.getElementById("security-review")?.focus();
      return;
    }
    if (warnings.length > 0) {
      const changes = (Object.keys(FIELDS) as TlsStrategyProperty[])
        .filter((key) => key !== "name" && values[key] !== baseline[key])
        .map((key) => ({
          label: FIELDS[key].label,
          from: displayValue(key, baseline[key]),
          to: displayValue(key, values[key]),
        }));
      const isConfirmed = await new Promise<boolean>((resolve) =>
        setReview({ warnings, changes, resolve }),
      );
      setReview(null);
      if (!isConfirmed) return;
    }
    await save(values);
  });

  const resetButton = (name: DefaultedField) => {
    const fallback = defaultInput(name);
    const current = watched[name as keyof TlsStrategyFormInput];
    const parsed = parseDuration(String(current));
    const isDefault =
      name === "tlsTimeout" || name === "mtaStsTimeout"
        ? parsed.ok && parsed.ms === STRATEGY_DEFAULTS[name]
        : current === fallback;
    if (isDefault || isReadOnly) return null;
    return (
      <button
        type="button"
        className="link-button"
        aria-label={`Reset ${FIELDS[name].label} to default`}
        onClick={() =>
          setValue(name as FieldName, fallback as never, {
            shouldDirty: true,
            shouldValidate: true,
            shouldTouch: true,
          })
        }
      >
        Reset to default
      </button>
    );
  };

  const defaultNote = (name: DefaultedField) => (
    <>
      {FIELDS[name].help} Default: {displayValue(name, STRATEGY_DEFAULTS[name])}.{" "}
      {resetButton(name)}
    </>
  );

  const durationDetail = (name: "tlsTimeout" | "mtaStsTimeout") => {
    const parsed = parseDuration(watched[name]);
    return parsed.ok && !errors[name] ? `= ${describeDuration(parsed.ms)}` : null;
  };

  const nameDetail =
    !isEdit &&
    !takenBy &&
    nameCheck.data === null &&
    checkedName === typedName &&
    NAME_PATTERN.test(typedName)
      ? `“${typedName}” is free.`
      : null;
  const shownConflict = conflict ?? (takenBy ? { name: typedName, id: takenBy } : null);
  const nameError = shownConflict ? (
    <>
      A strategy named “{shownConflict.name}” already exists.{" "}
      <Link href={editPath(shownConflict.id)}>Open “{shownConflict.name}”</Link>
    </>
  ) : (
    errors.name?.message
  );

  const policySelect = (name: "dane" | "mtaSts" | "startTls") => (
    <Field label={FIELDS[name].label} help={defaultNote(name)} error={errors[name]?.message}>
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

  return (
    <form onSubmit={submit} noValidate className="form">
      <fieldset className="card">
        <legend>TLS Strategy</legend>
        <Field
          label={FIELDS.name.label}
          help={
            isEdit ? `${FIELDS.name.help} It cannot be changed after creation.` : FIELDS.name.help
          }
          detail={nameDetail}
          error={nameError}
        >
          {(control) => (
            <input
              {...control}
              readOnly={isEdit || isReadOnly}
              autoComplete="off"
              spellCheck={false}
              {...register("name", { onChange: () => setConflict(null) })}
            />
          )}
        </Field>
        <Field
          label={FIELDS.description.label}
          help={FIELDS.description.help}
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

      <fieldset className="card">
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
            aria-describedby={
              errors.allowInvalidCerts
                ? "allowInvalidCerts-error allowInvalidCerts-help"
                : "allowInvalidCerts-help"
            }
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
            {FIELDS.allowInvalidCerts.help} Accepting them removes protection against interception.
            Default: No. {resetButton("allowInvalidCerts")}
          </p>
        </div>
      </fieldset>

      <fieldset className="card">
        <legend>Timeouts</legend>
        {durationInput("tlsTimeout")}
        {durationInput("mtaStsTimeout")}
      </fieldset>

      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: focused when saving is refused, so it is read first */}
      <section
        id="security-review"
        aria-labelledby="security-review-heading"
        className="card review"
        tabIndex={-1}
      >
        <h3 id="security-review-heading">Security review</h3>
        {findings.length === 0 ? (
          <p className="muted">
            No concerns: these settings deliver mail with opportunistic or required TLS.
          </p>
        ) : (
          <ul aria-live="polite">
            {findings.map((finding) => (
              <li key={finding.id} className={`finding finding-${finding.severity}`}>
                <strong>{finding.severity === "error" ? "Error: " : "Warning: "}</strong>
                {finding.message}
              </li>
            ))}
          </ul>
        )}
      </section>

      {formError ? (
        <Notice tone="error">
          <p>{formError.message}</p>
          {formError.canRetry && lastValues ? (
            <button
              type="button"
              className="button"
              onClick={() => void save(lastValues)}
              disabled={isSubmitting}
            >
              Try again
            </button>
          ) : null}
        </Notice>
      ) : null}

      <div className="actions">
        {isReadOnly ? null : (
          <button
            type="submit"
            className="button button-primary"
            disabled={isSubmitting || (isEdit && !isDirty)}
          >
            {isSubmitting ? (isEdit ? "Saving…" : "Creating…") : isEdit ? "Save" : "Create"}
          </button>
        )}
        <Link href={lastListPath()} className="button">
          {isReadOnly ? "Back to the list" : "Cancel"}
        </Link>
        {actions}
      </div>

      <ConfirmDialog
        isOpen={review !== null}
        title={isEdit ? "Save with warnings?" : "Create with warnings?"}
        confirmLabel={isEdit ? "Save anyway" : "Create anyway"}
        cancelLabel="Go back"
        tone="primary"
        onConfirm={() => review?.resolve(true)}
        onCancel={() => review?.resolve(false)}
      >
        <ul className="warning-list">
          {review?.warnings.map((warning) => (
            <li key={warning.id}>{warning.message}</li>
          ))}
        </ul>
        {review && review.changes.length > 0 ? (
          <>
            <h3>{isEdit ? "What changes" : "Different from the defaults"}</h3>
            <ul className="change-list">
              {review.changes.map((change) => (
                <li key={change.label}>
                  {change.label}: {change.from} → {change.to}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </ConfirmDialog>
    </form>
  );
}

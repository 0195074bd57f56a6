import { zodResolver } from "@hookform/resolvers/zod";
import { type ReactNode, useState } from "react";
import { type Path, useForm } from "react-hook-form";
import { Link } from "wouter";
import { Field } from "../../components/field";
import { Notice } from "../../components/notice";
import { describeError } from "../../jmap/describe-error";
import { SetObjectError } from "../../jmap/errors";
import { TLS_POLICIES } from "../../jmap/protocol";
import { describeDuration, parseDuration } from "./duration";
import {
  type TlsStrategyFormInput,
  type TlsStrategyFormOutput,
  tlsStrategyFormSchema,
} from "./form-schema";
import { lastListPath } from "./last-list-view";
import { editPath } from "./paths";
import { FIELDS, POLICY_LABELS } from "./schema";

type FieldName = Path<TlsStrategyFormInput>;

const FORM_FIELDS = new Set<string>(Object.keys(FIELDS));

interface TlsStrategyFormProps {
  mode: "create" | "edit";
  defaultValues: TlsStrategyFormInput;
  /** Rejects with the client's typed errors; they are shown on their fields. */
  onSubmit: (values: TlsStrategyFormOutput) => Promise<void>;
  /** The permission a `forbidden` answer means is missing. */
  permission: string;
  /** More buttons next to the submit button (Delete on the edit page). */
  actions?: ReactNode;
}

interface NameConflict {
  name: string;
  id: string;
}

export function TlsStrategyForm({
  mode,
  defaultValues,
  onSubmit,
  permission,
  actions,
}: TlsStrategyFormProps) {
  const isEdit = mode === "edit";
  const [formError, setFormError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<NameConflict | null>(null);
  const {
    register,
    handleSubmit,
    watch,
    setError,
    formState: { errors, isDirty, isSubmitting },
  } = useForm<TlsStrategyFormInput, unknown, TlsStrategyFormOutput>({
    resolver: zodResolver(tlsStrategyFormSchema),
    defaultValues,
    mode: "onTouched",
  });

  const submit = handleSubmit(async (values) => {
    setFormError(null);
    setConflict(null);
    try {
      await onSubmit(values);
    } catch (error) {
      // The server's verdict lands on the field it names; what the user typed stays.
      if (!(error instanceof SetObjectError)) {
        setFormError(describeError(error, { permission }));
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
      if (known.length === 0) setFormError(describeError(error, { permission }));
    }
  });

  const durationDetail = (name: "tlsTimeout" | "mtaStsTimeout") => {
    const parsed = parseDuration(watch(name));
    return parsed.ok && !errors[name] ? `= ${describeDuration(parsed.ms)}` : null;
  };

  const nameError = conflict ? (
    <>
      A strategy named “{conflict.name}” already exists.{" "}
      <Link href={editPath(conflict.id)}>Open “{conflict.name}”</Link>
    </>
  ) : (
    errors.name?.message
  );

  const policySelect = (name: "dane" | "mtaSts" | "startTls") => (
    <Field label={FIELDS[name].label} help={FIELDS[name].help} error={errors[name]?.message}>
      {(control) => (
        <select {...control} {...register(name)}>
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
      help={FIELDS[name].help}
      detail={durationDetail(name)}
      error={errors[name]?.message}
    >
      {(control) => (
        <input
          {...control}
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
          error={nameError}
        >
          {(control) => (
            <input
              {...control}
              readOnly={isEdit}
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
          {(control) => <input {...control} autoComplete="off" {...register("description")} />}
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
          </p>
        </div>
      </fieldset>

      <fieldset className="card">
        <legend>Timeouts</legend>
        {durationInput("tlsTimeout")}
        {durationInput("mtaStsTimeout")}
      </fieldset>

      {formError ? <Notice tone="error">{formError}</Notice> : null}

      <div className="actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={isSubmitting || (isEdit && !isDirty)}
        >
          {isSubmitting ? (isEdit ? "Saving…" : "Creating…") : isEdit ? "Save" : "Create"}
        </button>
        <Link href={lastListPath()} className="button">
          Cancel
        </Link>
        {actions}
      </div>
    </form>
  );
}

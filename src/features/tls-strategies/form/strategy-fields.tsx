import type { FieldErrors, UseFormRegister } from "react-hook-form";
import { Field } from "../../../components/field";
import { TLS_POLICIES } from "../../../jmap/protocol";
import { STRATEGY_DEFAULTS } from "../../../stalwart/tls-strategy";
import { displayValue, type TlsStrategyFormInput } from "../model/changes";
import { formatDuration } from "../model/duration";
import { FIELDS, POLICY_LABELS } from "../model/fields";
import { describeDuration, parseDuration } from "../model/parse-duration";
import type { Finding } from "../model/security-rules";
import { FindingNotes, findingIds } from "./security-review";

/** A field Stalwart gives a default to. */
export type DefaultedField = keyof typeof STRATEGY_DEFAULTS;

/** What every security field needs from the form. */
export interface FieldsContext {
  register: UseFormRegister<TlsStrategyFormInput>;
  errors: FieldErrors<TlsStrategyFormInput>;
  /** The security review of the values on screen. */
  findings: readonly Finding[];
  /** The form's text now. */
  input: TlsStrategyFormInput;
  isReadOnly: boolean;
  /** Puts a field back to its default, and focuses it. */
  reset: (name: DefaultedField) => void;
}

/** The form's text for a default, as the field holds it: durations as "3m". */
export function defaultInput(key: DefaultedField): string | boolean | null {
  const value = STRATEGY_DEFAULTS[key];
  return typeof value === "number" ? formatDuration(value) : value;
}

/** "Reset DANE to default", shown while the field differs from its default in meaning. */
function ResetToDefault({ name, form }: { name: DefaultedField; form: FieldsContext }) {
  const current = form.input[name];
  const isDefault =
    name === "tlsTimeout" || name === "mtaStsTimeout"
      ? (() => {
          const parsed = parseDuration(String(current));
          return parsed.ok && parsed.ms === STRATEGY_DEFAULTS[name];
        })()
      : current === defaultInput(name);
  if (isDefault || form.isReadOnly) return null;
  return (
    // Named by its text, not aria-label: an aria-label would label it to `getByLabel`, so
    // "DANE" would find this button as well as the DANE select (README, "Testing this page with Playwright"). All
    // of the text is visible: the name a voice-control user says is the one on screen
    // (WCAG 2.5.3).
    <button type="button" className="link-button" onClick={() => form.reset(name)}>
      Reset {FIELDS[name].label} to default
    </button>
  );
}

/** The field's help, its default in words and, when it differs, the button back to it. */
function DefaultNote({
  name,
  extra = "",
  form,
}: {
  name: DefaultedField;
  extra?: string;
  form: FieldsContext;
}) {
  return (
    <>
      {FIELDS[name].help}
      {extra} Default: {displayValue(name, STRATEGY_DEFAULTS[name])}.{" "}
      <ResetToDefault name={name} form={form} />
    </>
  );
}

const POLICY_HELP = {
  dane: " With Optional or Required, a DNSSEC “bogus” answer defers mail to that domain; if the server's resolver cannot validate DNSSEC, Stalwart turns DANE off without a word.",
  mtaSts: " Policies in testing mode are not enforced.",
  startTls: "",
} as const;

/** DANE, MTA-STS or STARTTLS: Disabled, Optional or Required (shared wire reference §3). */
export function PolicySelect({
  name,
  form,
}: {
  name: "dane" | "mtaSts" | "startTls";
  form: FieldsContext;
}) {
  return (
    <Field
      label={FIELDS[name].label}
      help={<DefaultNote name={name} extra={POLICY_HELP[name]} form={form} />}
      error={form.errors[name]?.message}
      describedBy={findingIds(form.findings, name)}
      notes={<FindingNotes findings={form.findings} field={name} />}
    >
      {(control) => (
        <select {...control} disabled={form.isReadOnly} {...form.register(name)}>
          {TLS_POLICIES.map((policy) => (
            <option key={policy} value={policy}>
              {POLICY_LABELS[policy]}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A timeout typed as people write it ("90s", "1h30m"), read back in words below. */
export function DurationInput({
  name,
  form,
}: {
  name: "tlsTimeout" | "mtaStsTimeout";
  form: FieldsContext;
}) {
  const parsed = parseDuration(form.input[name]);
  const detail = parsed.ok && !form.errors[name] ? `= ${describeDuration(parsed.ms)}` : null;
  return (
    <Field
      label={FIELDS[name].label}
      help={<DefaultNote name={name} form={form} />}
      detail={detail}
      error={form.errors[name]?.message}
      describedBy={findingIds(form.findings, name)}
      notes={<FindingNotes findings={form.findings} field={name} />}
    >
      {(control) => (
        <input
          {...control}
          readOnly={form.isReadOnly}
          inputMode="text"
          autoComplete="off"
          spellCheck={false}
          {...form.register(name)}
        />
      )}
    </Field>
  );
}

/** "Allow invalid certificates", with what accepting them removes. */
export function CertificateCheckbox({ form }: { form: FieldsContext }) {
  const error = form.errors.allowInvalidCerts;
  const description = [
    error ? "allowInvalidCerts-error" : null,
    ...findingIds(form.findings, "allowInvalidCerts"),
    "allowInvalidCerts-help",
  ]
    .filter(Boolean)
    .join(" ");
  return (
    <div className="field field-checkbox" data-invalid={error ? true : undefined}>
      <input
        type="checkbox"
        id="allowInvalidCerts"
        disabled={form.isReadOnly}
        aria-describedby={description}
        aria-invalid={Boolean(error)}
        {...form.register("allowInvalidCerts")}
      />
      <label htmlFor="allowInvalidCerts">{FIELDS.allowInvalidCerts.label}</label>
      {error ? (
        <p className="field-error" id="allowInvalidCerts-error">
          {error.message}
        </p>
      ) : null}
      <p className="field-help" id="allowInvalidCerts-help">
        {FIELDS.allowInvalidCerts.help} Accepting them removes protection against interception;
        domains with an enforcing MTA-STS policy have their certificates checked anyway. Default:
        No. <ResetToDefault name="allowInvalidCerts" form={form} />
      </p>
      <FindingNotes findings={form.findings} field="allowInvalidCerts" />
    </div>
  );
}

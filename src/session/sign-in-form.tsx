import "../components/field.css";
import { zodResolver } from "@hookform/resolvers/zod";
import "./sign-in.css";
import { useEffect, useId, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import * as z from "zod/mini";
import { describeError } from "../components/describe-error";
import { Field } from "../components/field";
import { Notice } from "../components/notice";
import type { Credentials } from "../jmap/authorization";
import { RateLimitedError, UnauthorizedError } from "../jmap/errors";

const signInSchema = z.discriminatedUnion("method", [
  z.object({
    method: z.literal("password"),
    username: z.string().check(z.trim(), z.minLength(1, "Enter your username.")),
    password: z.string().check(z.minLength(1, "Enter your password.")),
    apiKey: z.string(),
  }),
  z.object({
    method: z.literal("apiKey"),
    username: z.string(),
    password: z.string(),
    apiKey: z.string().check(z.trim(), z.minLength(1, "Enter an API key.")),
  }),
]);

type SignInValues = z.infer<typeof signInSchema>;

interface SignInFormProps {
  username?: string;
  /** Rejects with UnauthorizedError when the server refuses the credentials. */
  onSignIn: (credentials: Credentials) => Promise<void>;
  children?: React.ReactNode;
}

/** Username and password (Basic) or an API key (Bearer), as Stalwart accepts them. */
export function SignInForm({ username = "", onSignIn, children }: SignInFormProps) {
  const [failure, setFailure] = useState<string | null>(null);
  // After a 429: the seconds left before the server takes another attempt. Never retried.
  const [waitSeconds, setWaitSeconds] = useState(0);
  useEffect(() => {
    if (waitSeconds <= 0) return;
    const timer = setTimeout(() => setWaitSeconds((seconds) => seconds - 1), 1_000);
    return () => clearTimeout(timer);
  }, [waitSeconds]);
  const {
    register,
    handleSubmit,
    watch,
    setValue,
    formState: { errors, isSubmitting },
  } = useForm<SignInValues>({
    resolver: zodResolver(signInSchema),
    defaultValues: { method: "password", username, password: "", apiKey: "" },
  });
  const method = watch("method");

  const onSubmit = handleSubmit(async (values) => {
    setFailure(null);
    try {
      await onSignIn(
        values.method === "password"
          ? { kind: "basic", username: values.username, password: values.password }
          : { kind: "bearer", token: values.apiKey },
      );
    } catch (error) {
      if (error instanceof RateLimitedError) setWaitSeconds(error.retryAfterSeconds);
      setFailure(
        error instanceof UnauthorizedError
          ? values.method === "password"
            ? "Wrong username or password."
            : "This API key was not accepted."
          : describeError(error),
      );
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="card">
      {/* Locked while the server is asked: what is typed then would not be what signs in. */}
      <fieldset className="plain-fieldset" disabled={isSubmitting}>
        <MethodChoice
          value={method}
          onChange={(next) => setValue("method", next, { shouldValidate: false })}
        />
        {method === "password" ? (
          <>
            <Field label="Username" error={errors.username?.message}>
              {(control) => (
                <input {...control} autoComplete="username" {...register("username")} />
              )}
            </Field>
            <Field label="Password" error={errors.password?.message}>
              {(control) => (
                <input
                  {...control}
                  type="password"
                  autoComplete="current-password"
                  {...register("password")}
                />
              )}
            </Field>
          </>
        ) : (
          <Field label="API key" error={errors.apiKey?.message}>
            {(control) => (
              <input {...control} type="password" autoComplete="off" {...register("apiKey")} />
            )}
          </Field>
        )}
      </fieldset>
      {failure ? <Notice tone="error">{failure}</Notice> : null}
      <div className="actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={isSubmitting || waitSeconds > 0}
        >
          {isSubmitting ? "Signing in…" : "Sign in"}
        </button>
        {waitSeconds > 0 ? (
          <span className="muted" aria-live="off">
            Sign in again in {waitSeconds} s
          </span>
        ) : null}
        {/* Cancel too: a sign-in on its way is not to be cancelled halfway. */}
        {children ? (
          <fieldset className="plain-fieldset" disabled={isSubmitting}>
            {children}
          </fieldset>
        ) : null}
      </div>
    </form>
  );
}

const METHODS = [
  { value: "password", label: "Username and password" },
  { value: "apiKey", label: "API key (Bearer token)" },
] as const;

/**
 * "Sign in with": a radio group (WAI-ARIA radio group pattern: Tab reaches the checked one,
 * arrow keys move and check). Its choices are buttons with role="radio" rather than native
 * radios inside <label>s, because a <label> reading "Username and password" would also label
 * a radio as "Username" and "Password" to `getByLabel`, which must find exactly one control
 * each (README, "Testing this page with Playwright"); a button's text names it without being
 * a label.
 */
function MethodChoice({
  value,
  onChange,
}: {
  value: SignInValues["method"];
  onChange: (value: SignInValues["method"]) => void;
}) {
  const legendId = useId();
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const move = (from: number, step: number) => {
    const next = (from + step + METHODS.length) % METHODS.length;
    onChange(METHODS[next]?.value ?? "password");
    buttons.current[next]?.focus();
  };
  return (
    <div className="choice">
      <span id={legendId} className="choice-legend">
        Sign in with
      </span>
      <div role="radiogroup" aria-labelledby={legendId} className="choice-options">
        {METHODS.map((method, index) => (
          // biome-ignore lint/a11y/useSemanticElements: a native radio needs a <label>, which getByLabel would match (see above).
          <button
            key={method.value}
            ref={(button) => {
              buttons.current[index] = button;
            }}
            type="button"
            role="radio"
            aria-checked={value === method.value}
            tabIndex={value === method.value ? 0 : -1}
            className="choice-option"
            onClick={() => onChange(method.value)}
            onKeyDown={(event) => {
              if (event.key === "ArrowDown" || event.key === "ArrowRight") {
                event.preventDefault();
                move(index, 1);
              } else if (event.key === "ArrowUp" || event.key === "ArrowLeft") {
                event.preventDefault();
                move(index, -1);
              }
            }}
          >
            <span className="choice-dot" aria-hidden="true" />
            {method.label}
          </button>
        ))}
      </div>
    </div>
  );
}

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Redirect, useLocation, useSearchParams } from "wouter";
import * as z from "zod/mini";
import { Field } from "../components/field";
import { Notice } from "../components/notice";
import { LIST_PATH } from "../features/tls-strategies/paths";
import { describeError } from "../jmap/describe-error";
import { UnauthorizedError } from "../jmap/errors";
import { useAuth } from "./auth";

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

/** Only same-site paths may be returned to, so a crafted link cannot send the admin away. */
function safeNext(next: string | null): string {
  return next?.startsWith("/") && !next.startsWith("//") ? next : LIST_PATH;
}

export function SignInPage() {
  const { client, signIn } = useAuth();
  const [, navigate] = useLocation();
  const [searchParams] = useSearchParams();
  const next = safeNext(searchParams.get("next"));
  const [failure, setFailure] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<SignInValues>({
    resolver: zodResolver(signInSchema),
    defaultValues: { method: "password", username: "", password: "", apiKey: "" },
  });
  const method = watch("method");

  if (client) return <Redirect to={next} replace />;

  const onSubmit = handleSubmit(async (values) => {
    setFailure(null);
    try {
      await signIn(
        values.method === "password"
          ? { kind: "basic", username: values.username, password: values.password }
          : { kind: "bearer", token: values.apiKey },
      );
      navigate(next, { replace: true });
    } catch (error) {
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
    <main className="sign-in">
      <title>Sign in · Stalwart TLS Strategies</title>
      <h1>Sign in to Stalwart</h1>
      <p className="subtitle">Manage TLS strategies for message delivery.</p>
      <form onSubmit={onSubmit} noValidate className="card">
        <fieldset className="choice">
          <legend>Sign in with</legend>
          <label>
            <input type="radio" value="password" {...register("method")} /> Username and password
          </label>
          <label>
            <input type="radio" value="apiKey" {...register("method")} /> API key (Bearer token)
          </label>
        </fieldset>
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
        {failure ? <Notice tone="error">{failure}</Notice> : null}
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={isSubmitting}>
            {isSubmitting ? "Signing in…" : "Sign in"}
          </button>
        </div>
      </form>
    </main>
  );
}

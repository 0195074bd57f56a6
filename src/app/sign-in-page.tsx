import { Redirect, useLocation, useSearchParams } from "wouter";
import { ThemeSelect } from "../components/theme";
import { ViewHeading } from "../components/view-heading";
import { LIST_PATH } from "../features/tls-strategies/paths";
import { useAuth } from "../session/auth";
import { SignInForm } from "../session/sign-in-form";

/** Only same-site paths may be returned to, so a crafted link cannot send the admin away. */
function safeNext(next: string | null): string {
  return next?.startsWith("/") && !next.startsWith("//") ? next : LIST_PATH;
}

export function SignInPage() {
  const { client, signIn } = useAuth();
  const [, navigate] = useLocation();
  const [searchParams] = useSearchParams();
  const next = safeNext(searchParams.get("next"));

  if (client) return <Redirect to={next} replace />;

  return (
    <main className="sign-in">
      <title>Sign in · Stalwart TLS Strategies</title>
      <ViewHeading>Sign in to Stalwart</ViewHeading>
      <p className="subtitle">Manage TLS strategies for message delivery.</p>
      <SignInForm
        onSignIn={async (credentials) => {
          await signIn(credentials);
          navigate(next, { replace: true });
        }}
      />
      <div className="sign-in-theme">
        <ThemeSelect />
      </div>
    </main>
  );
}

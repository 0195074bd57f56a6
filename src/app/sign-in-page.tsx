import { Redirect, useLocation } from "wouter";
import { ThemeSelect } from "../components/theme";
import { ViewHeading } from "../components/view-heading";
import { sameOriginPath, useUrlSearchParams } from "../navigation/url-search";
import { LIST_PATH } from "../paths";
import { useAuth } from "../session/auth";
import { SignInForm } from "../session/sign-in-form";

export function SignInPage() {
  const { client, signIn } = useAuth();
  const [, navigate] = useLocation();
  const searchParams = useUrlSearchParams();
  // Only a path of this origin is followed, so a crafted link cannot send the admin away.
  const next = sameOriginPath(searchParams.get("next"), window.location.origin, LIST_PATH);

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

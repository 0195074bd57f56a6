import { useId, useSyncExternalStore } from "react";

// Light, dark, or the system's: the admin's choice, remembered in a cookie so the server can
// put it on <html data-theme> before the first paint (server/app.ts); "system" is no cookie.
// Not a secret, so a script-readable cookie is fine.

export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

/** The cookie the server reads too (server/app.ts, THEME_COOKIE). */
export const THEME_COOKIE = "stalwart-tls-theme";
const ONE_YEAR_S = 365 * 24 * 60 * 60;

const LABELS: Record<Theme, string> = { system: "System", light: "Light", dark: "Dark" };

/** The remembered choice: "light" or "dark" from the cookie, otherwise "system". */
export function readTheme(): Theme {
  const match = document.cookie.match(new RegExp(`(?:^|;\\s*)${THEME_COOKIE}=(light|dark)(?:;|$)`));
  return (match?.[1] as Theme | undefined) ?? "system";
}

const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/**
 * Shows the remembered theme again and tells every theme select: for a page shown again from
 * the back/forward cache after the theme was changed on another page (the cookie is the
 * truth; the page kept what it was drawn with).
 */
export function syncTheme(): void {
  applyTheme(readTheme());
  for (const listener of listeners) listener();
}

/** Shows `theme` now (data-theme on <html>; none follows the system) and remembers it. */
export function setTheme(theme: Theme): void {
  applyTheme(theme);
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing from some browsers still in use.
  document.cookie =
    theme === "system"
      ? `${THEME_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax${secure}`
      : `${THEME_COOKIE}=${theme}; Path=/; Max-Age=${ONE_YEAR_S}; SameSite=Lax${secure}`;
  for (const listener of listeners) listener();
}

/** Puts `theme` on <html>; styles/page.css picks colours with light-dark() from it. */
export function applyTheme(theme: Theme): void {
  if (theme === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

/** A native select: Theme — System, Light, Dark; it always shows the remembered choice. */
export function ThemeSelect() {
  const id = useId();
  const theme = useSyncExternalStore(subscribe, readTheme, () => "system" as Theme);
  return (
    <span className="theme-select">
      <label htmlFor={id}>Theme</label>
      <select
        id={id}
        value={theme}
        onChange={(event) => {
          setTheme(event.target.value as Theme);
        }}
      >
        {THEMES.map((option) => (
          <option key={option} value={option}>
            {LABELS[option]}
          </option>
        ))}
      </select>
    </span>
  );
}

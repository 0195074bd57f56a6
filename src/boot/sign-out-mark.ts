/**
 * Signing out signs out every tab, including those that were away when it happened: a tab
 * in the back/forward cache, a tab restored from history, or one reloaded later, heard no
 * BroadcastChannel message (tab-sign-in.ts reaches only the tabs open at that moment).
 *
 * So each sign-out also leaves a mark where every tab of the origin can read it: a random
 * token in localStorage (no secret: it says only that someone signed out). Each tab keeps,
 * beside its credentials in sessionStorage, the mark it saw when it took them. A tab whose
 * mark differs from the origin's was signed out while away; it checks before using stored
 * credentials (a reload, the inline early requests), when it is shown again (`pageshow`) and
 * when the mark changes (`storage`). A token, not a counter: two tabs signing out at once
 * leave a mark that differs from everyone's, whichever write wins.
 *
 * Dependency-free: the inline script of index.html checks it too (early-requests.ts).
 */

/** localStorage: the mark of the last sign-out of this origin. */
export const SIGN_OUT_KEY = "stalwart-tls-strategies.signed-out";
/** sessionStorage: the origin's mark when this tab took its credentials. */
export const SIGNED_IN_UNDER_KEY = "stalwart-tls-strategies.signed-in-under";

function read(storage: () => Storage, key: string): string {
  try {
    return storage().getItem(key) ?? "";
  } catch {
    return "";
  }
}

/** The origin's current sign-out mark ("" when nobody has signed out, or unreadable). */
export const currentSignOutMark = () => read(() => localStorage, SIGN_OUT_KEY);

/** Signing out here: every other tab of this origin is to forget its credentials. */
export function markSignOut(): void {
  const token = Array.from(crypto.getRandomValues(new Uint32Array(2)), (n) => n.toString(36)).join(
    "",
  );
  try {
    localStorage.setItem(SIGN_OUT_KEY, token);
  } catch {
    // Storage refused: live tabs still hear the BroadcastChannel; tabs away do not.
  }
}

/** This tab took credentials now (signed in, or got them from another tab). */
export function noteSignedIn(): void {
  try {
    sessionStorage.setItem(SIGNED_IN_UNDER_KEY, currentSignOutMark());
  } catch {
    // Storage refused: the tab cannot keep credentials across a reload either.
  }
}

/** Forgets what noteSignedIn kept (signing out). */
export function forgetSignedIn(): void {
  try {
    sessionStorage.removeItem(SIGNED_IN_UNDER_KEY);
  } catch {
    // Nothing to forget.
  }
}

/**
 * Whether some tab of this origin signed out since this tab took its credentials: its
 * stored credentials must then not be used.
 */
export function isSignedOutElsewhere(): boolean {
  return read(() => sessionStorage, SIGNED_IN_UNDER_KEY) !== currentSignOutMark();
}

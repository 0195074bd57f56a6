import type { MouseEvent } from "react";
import { guardedNavigate } from "./navigation-guard";

/**
 * The click handler of a plain `<a href>` to a view of this page, for links rendered many
 * times over (the list's rows). wouter's `Link` is a component that subscribes each link to
 * the location: 25 rows meant 50 subscriptions, and 50 more fibers, to set up when the list
 * renders and to tear down when a name is clicked (docs/decisions/first-paint-and-opening.md).
 * A plain left click navigates within the page, through the unsaved-changes guard; a click
 * with Ctrl, ⌘, Alt or Shift, or with another button, is the browser's (new tab, new window),
 * as with wouter's `Link`.
 */
export function followInAppLink(event: MouseEvent<HTMLAnchorElement>): void {
  const isPlainClick =
    event.button === 0 && !(event.ctrlKey || event.metaKey || event.altKey || event.shiftKey);
  if (!isPlainClick || event.defaultPrevented) return;
  event.preventDefault();
  guardedNavigate(event.currentTarget.getAttribute("href") ?? "");
}

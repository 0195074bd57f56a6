import { createContext, type ReactNode, useContext, useLayoutEffect, useRef } from "react";
import { useLocation } from "wouter";

// Focus goes where the user is (README, "Keyboard"): after a route change (sign-in, opening
// create or edit, a save or a delete that leads back to the list), focus moves to the new
// view's <h1>, so a keyboard or screen-reader user starts reading at the top of what is now
// shown.
// The first load of a page keeps the browser's own focus.

/** Set when a route changed and no view heading was there yet to take focus. */
let isFocusPending = false;

const SELECTOR = "h1[data-view-heading]";

/**
 * Focuses `heading` just before the next frame is drawn: the new view is in the document at
 * once, and the browser lays it out once, with the focus, instead of once for `focus()` in
 * the middle of React's commit and again to draw it.
 */
function focusBeforeNextFrame(heading: HTMLElement) {
  requestAnimationFrame(() => {
    if (heading.isConnected) heading.focus();
  });
}

/** Moves focus to the current view's heading (before the next frame), or to the next one to mount. */
export function focusViewHeading(): void {
  const heading = document.querySelector<HTMLElement>(SELECTOR);
  if (heading) {
    isFocusPending = false;
    focusBeforeNextFrame(heading);
  } else {
    isFocusPending = true;
  }
}

/**
 * The one <h1> of a view. Focusable by script only (tabIndex −1). It takes focus when it
 * mounts after a route change, and hands a pending focus on to the heading that replaces it
 * (a "Loading…" view followed by the loaded one).
 */
export function ViewHeading({
  children,
  className,
  id,
}: {
  children: ReactNode;
  className?: string;
  id?: string;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => {
    const heading = ref.current;
    if (isFocusPending && heading) {
      isFocusPending = false;
      focusBeforeNextFrame(heading);
    }
    // Layout cleanups run before the node leaves the document, so focus can still be seen.
    return () => {
      if (heading && document.activeElement === heading) isFocusPending = true;
    };
  }, []);
  return (
    <h1 ref={ref} id={id} className={className} tabIndex={-1} data-view-heading="">
      {children}
    </h1>
  );
}

/**
 * Watches the path; when it changes (not on the first render), focuses the new view's heading.
 * Mount it once, above every route.
 */
export function FocusViewHeadingOnNavigation() {
  const [pathname] = useLocation();
  const previous = useRef(pathname);
  useLayoutEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    focusViewHeading();
  }, [pathname]);
  return null;
}

/** What the layout shows right under every view's header: news and the pending-apply notice. */
const NoticesContext = createContext<ReactNode>(null);

/** Gives every ViewHeader inside it the notices to show under it. */
export function ViewNoticesProvider({
  notices,
  children,
}: {
  notices: ReactNode;
  children: ReactNode;
}) {
  return <NoticesContext value={notices}>{children}</NoticesContext>;
}

/**
 * The top of a view: its <h1> (see ViewHeading), a line about it, the view's main actions
 * beside them, and then the layout's notices, so they are read right after the heading.
 */
export function ViewHeader({
  children,
  subtitle,
  actions,
  headingClassName,
}: {
  children: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  headingClassName?: string;
}) {
  const notices = useContext(NoticesContext);
  return (
    <>
      <div className="view-header">
        <div className="view-title">
          <ViewHeading className={headingClassName}>{children}</ViewHeading>
          {subtitle ? <p className="subtitle">{subtitle}</p> : null}
        </div>
        {actions ? <div className="view-actions">{actions}</div> : null}
      </div>
      {notices}
    </>
  );
}

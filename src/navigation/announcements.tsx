import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { useLocation } from "wouter";

// News about what the admin just did ("Saved “default”.", "Applied: …"), in one place at the
// top of the page. News belongs to one view: the page it leads to (announce, then navigate),
// or the view where the action was taken (an apply whose answer arrives after the admin has
// moved on is not shown on the next view). It is gone once the admin moves on to another page
// (or reloads), so Back never repeats it. One slot, so the page never holds two competing
// status messages.

interface Announcement {
  id: number;
  content: ReactNode;
  /** The path of the view it is news for. */
  path: string;
  /** Move focus to it: the control the admin used is gone (Apply now, once applied). */
  focus: boolean;
}

interface AnnouncementsValue {
  current: Announcement | null;
  /**
   * Shows `content` (a Notice: status for news, alert for failures) in place of the last, on
   * the view at `path`: by default the one on screen now. An action that waits for an answer
   * passes the path where it was taken, so its outcome never shows on another view.
   */
  announce: (content: ReactNode, options?: { path?: string; focus?: boolean }) => void;
  clear: () => void;
}

const AnnouncementsContext = createContext<AnnouncementsValue | null>(null);

export function AnnouncementProvider({ children }: { children: ReactNode }) {
  const [current, setCurrent] = useState<Announcement | null>(null);
  const counter = useRef(0);
  const announce = useCallback(
    (content: ReactNode, options: { path?: string; focus?: boolean } = {}) => {
      counter.current += 1;
      setCurrent({
        id: counter.current,
        content,
        path: options.path ?? window.location.pathname,
        focus: options.focus ?? false,
      });
    },
    [],
  );
  const clear = useCallback(() => setCurrent(null), []);
  const value = useMemo(() => ({ current, announce, clear }), [current, announce, clear]);
  return <AnnouncementsContext value={value}>{children}</AnnouncementsContext>;
}

export function useAnnouncements(): Pick<AnnouncementsValue, "announce" | "clear"> {
  const value = useContext(AnnouncementsContext);
  if (!value) throw new Error("useAnnouncements must be used inside <AnnouncementProvider>.");
  return value;
}

/** Where announcements show. It forgets one when the admin goes to another page. */
export function Announcements() {
  const value = useContext(AnnouncementsContext);
  const [pathname] = useLocation();
  const shownOn = useRef<{ id: number; pathname: string } | null>(null);
  const area = useRef<HTMLDivElement>(null);
  const current = value?.current ?? null;
  const clear = value?.clear;
  const isHere = current !== null && current.path === pathname;
  useEffect(() => {
    if (!current) return;
    if (shownOn.current?.id !== current.id) {
      if (!isHere) return;
      shownOn.current = { id: current.id, pathname };
      if (current.focus) area.current?.focus();
    } else if (shownOn.current.pathname !== pathname) clear?.();
  }, [current, isHere, pathname, clear]);
  return current && isHere ? (
    // Focusable by script only, for when the control that led here is gone.
    <div className="announcements" ref={area} tabIndex={-1}>
      {current.content}
    </div>
  ) : null;
}

import { Component, type ReactNode } from "react";

/**
 * Catches a part of the page whose code failed to load (offline, or a new deployment removed
 * the old files) and shows `fallback` in its place, so the rest of the page and any typed
 * work stay. A failed `import()` is not tried again by the browser: the fallback says to
 * reload the page.
 */
export class LoadBoundary extends Component<
  { fallback: ReactNode; children: ReactNode },
  { hasFailed: boolean }
> {
  override state = { hasFailed: false };

  static getDerivedStateFromError() {
    return { hasFailed: true };
  }

  override render() {
    return this.state.hasFailed ? this.props.fallback : this.props.children;
  }
}

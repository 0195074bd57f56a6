import { type ComponentType, use } from "react";

/**
 * A module loaded on demand, that renders without suspending once it is loaded.
 * `React.lazy` suspends on its first render even when the code is already there (its promise
 * settles a tick later), and React 19 then holds the Suspense fallback for up to 300 ms; this
 * reads the loaded module synchronously instead.
 */
export interface Preloadable<M> {
  /**
   * Starts loading (once); resolves to the module. After a failure the next call asks again,
   * though browsers may answer from the failed first attempt: a LoadBoundary around `read()`
   * then offers to reload the page.
   */
  preload(): Promise<M>;
  /**
   * The module: at once when loaded, else suspends the calling component (React `use`) until
   * it is. Call it during render, inside a Suspense boundary.
   */
  read(): M;
}

/** Wraps a dynamic `import()` as a Preloadable. */
export function preloadable<M>(load: () => Promise<M>): Preloadable<M> {
  let loaded: M | undefined;
  let loading: Promise<M> | undefined;
  const preload = () => {
    loading ??= load().then(
      (module) => {
        loaded = module;
        return module;
      },
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    );
    return loading;
  };
  return { preload, read: () => loaded ?? use(preload()) };
}

/**
 * A component of a Preloadable module, rendered through `read()`: at once when the module is
 * loaded, else it suspends until it is (render it inside Suspense, and a LoadBoundary).
 */
export function preloadedComponent<M, P extends object>(
  module: Preloadable<M>,
  pick: (loaded: M) => ComponentType<P>,
): ComponentType<P> {
  return function Preloaded(props: P) {
    const Component = pick(module.read());
    return <Component {...props} />;
  };
}

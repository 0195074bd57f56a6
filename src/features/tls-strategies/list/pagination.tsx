import { Link } from "wouter";
import { LIST_PATH } from "../../../paths";
import { numbers } from "../model/counts";
import { type ListView, listSearch } from "../model/list-params";

// First, previous, next and last page, and where the admin is; on narrow screens arrows
// instead of words, on one line (cards.css).

/** The list's pagination, for `view` of `pageCount` pages. */
export function Pagination({ view, pageCount }: { view: ListView; pageCount: number }) {
  const pageHref = (page: number) => LIST_PATH + listSearch({ ...view, page });
  return (
    <nav aria-label="Pagination" className="pagination" id="pagination" tabIndex={-1}>
      <PageLink href={pageHref(1)} isDisabled={view.page <= 1} label="First page" icon="«" />
      <PageLink
        href={pageHref(view.page - 1)}
        isDisabled={view.page <= 1}
        label="Previous page"
        icon="‹"
      />
      <span className="page-of">
        Page {numbers.format(Math.min(view.page, pageCount))} of {numbers.format(pageCount)}
      </span>
      <PageLink
        href={pageHref(view.page + 1)}
        isDisabled={view.page >= pageCount}
        label="Next page"
        icon="›"
      />
      <PageLink
        href={pageHref(pageCount)}
        isDisabled={view.page >= pageCount}
        label="Last page"
        icon="»"
      />
    </nav>
  );
}

function PageLink({
  href,
  isDisabled,
  label,
  icon,
}: {
  href: string;
  isDisabled: boolean;
  label: string;
  /** Shown instead of the label on narrow screens, so pagination fits on one line. */
  icon: string;
}) {
  const content = (
    <>
      <span className="page-icon" aria-hidden="true">
        {icon}
      </span>
      <span className="page-label">{label}</span>
    </>
  );
  // Disabled, it stays a link (without an href, marked aria-disabled): the same control in
  // every state, found by the same role and name.
  if (isDisabled) {
    return (
      // biome-ignore lint/a11y/useValidAnchor: a link with nowhere to go now, announced as disabled.
      <a role="link" aria-disabled="true" className="button button-disabled">
        {content}
      </a>
    );
  }
  return (
    <Link href={href} className="button">
      {content}
    </Link>
  );
}

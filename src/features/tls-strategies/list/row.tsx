import { useQueryClient } from "@tanstack/react-query";
import { type FocusEvent, type ReactNode, useId } from "react";
import { revealHidden, shownText } from "../../../components/shown-text";
import { followInAppLink } from "../../../navigation/in-app-link";
import { duplicatePath, editPath } from "../../../paths";
import { useJmapClient } from "../../../session/auth";
import { type UsedBy, usedByWords } from "../../../stalwart/outbound-strategy";
import {
  STRATEGY_DEFAULTS,
  type TlsStrategy,
  type TlsStrategyProperty,
} from "../../../stalwart/tls-strategy";
import { prefetchTlsStrategy } from "../data/prefetch";
import { formatDuration } from "../model/duration";
import { FIELDS, POLICY_LABELS } from "../model/fields";
import { createPage, editPage } from "./pages";

// One row of the list: the strategy's name and description, its settings, its marks and
// Duplicate; a table row on wide screens, a card on narrow ones (row.css, cards.css).

const SECURITY_SETTINGS = [
  "startTls",
  "dane",
  "mtaSts",
  "allowInvalidCerts",
  "tlsTimeout",
  "mtaStsTimeout",
] as const satisfies readonly TlsStrategyProperty[];

/** The settings of a strategy that are not Stalwart's defaults, in the list's order. */
function differingSettings(strategy: TlsStrategy): (typeof SECURITY_SETTINGS)[number][] {
  return SECURITY_SETTINGS.filter((key) => strategy[key] !== STRATEGY_DEFAULTS[key]);
}

/** A policy as a badge; a function, not a component: one fewer fiber in each of many cells. */
const policyBadge = (value: TlsStrategy["dane"]) => (
  <span className={`badge badge-${value}`}>{POLICY_LABELS[value]}</span>
);

/** One strategy: a table row on wide screens, a card on narrow ones (row.css, cards.css). */
export function StrategyRow({
  strategy,
  isSelected,
  onToggle,
  canDuplicate,
  usedBy,
  isNotApplied,
  lookalikes,
  onRehearse,
}: {
  strategy: TlsStrategy;
  isSelected: boolean;
  /** null without the permission to delete. */
  onToggle: (() => void) | null;
  canDuplicate: boolean;
  /** The outbound strategy's `tls` rules that name it, when known. */
  usedBy: UsedBy | undefined;
  isNotApplied: boolean;
  /** The names of other stored strategies that look like this one's. */
  lookalikes: string[] | undefined;
  /** The pointer rests on, or presses, the name: render its edit page in rehearsal. */
  onRehearse: (id: string) => void;
}) {
  const nameId = useId();
  const differs = new Set(differingSettings(strategy));
  const queryClient = useQueryClient();
  const client = useJmapClient();
  // As soon as a pointer reaches a link, or a key or button is pressed on it, its page's code
  // and the strategy are fetched: by the click, the page opens without waiting for either
  // (README, "Opening a strategy from the list never waits"). Keyboard focus fetches the code
  // only: tabbing through 100 rows reads none.
  const intentTo = (page: { preload(): Promise<unknown> }, withData: boolean) => () => {
    void page.preload().catch(() => undefined);
    if (withData) prefetchTlsStrategy(queryClient, client, strategy.id);
    if (withData && page === editPage) onRehearse(strategy.id);
  };
  const intent = (page: { preload(): Promise<unknown> }) => ({
    onPointerEnter: intentTo(page, true),
    onPointerDown: intentTo(page, true),
    onFocus: intentTo(page, false),
    onKeyDown: (event: { key: string }) => {
      if (event.key === "Enter") intentTo(page, true)();
    },
  });
  // Names and values straight in the <dl>, in one flat list (no wrapper per pair): a page has
  // many, and each element and fragment is work to render and to remove
  // (docs/decisions/first-paint-and-opening.md).
  const settings = (...entries: [(typeof SECURITY_SETTINGS)[number], string, ReactNode][]) => (
    <dl className="settings">
      {entries.flatMap(([key, label, value]) => {
        const className = differs.has(key) ? "differs" : undefined;
        return [
          <dt key={`${key}-name`} className={className}>
            {label}
          </dt>,
          // A value cut short by its column (an absurd timeout) is whole in its title.
          <dd
            key={`${key}-value`}
            className={className}
            title={typeof value === "string" ? value : undefined}
          >
            {value}
          </dd>,
        ];
      })}
    </dl>
  );
  const certificates = strategy.allowInvalidCerts ? (
    <span className="badge badge-warning">Accepted</span>
  ) : (
    "Refused"
  );
  return (
    <tr className="strategy-row" onFocus={markTruncated}>
      {onToggle ? (
        <td className="cell-select">
          <input
            type="checkbox"
            aria-label={`Select ${revealHidden(strategy.name)}`}
            checked={isSelected}
            onChange={onToggle}
          />
        </td>
      ) : null}
      <th
        scope="row"
        className="cell-strategy"
        data-full={
          strategy.description === null
            ? revealHidden(strategy.name)
            : `${revealHidden(strategy.name)}\n${revealHidden(strategy.description, "text")}`
        }
      >
        {/* A late "looks like another name" mark sits on the name's own line: no height change. */}
        <span className="name-line">
          <a
            href={editPath(strategy.id)}
            onClick={followInAppLink}
            id={nameId}
            className="strategy-name"
            title={revealHidden(strategy.name)}
            {...intent(editPage)}
          >
            {shownText(strategy.name)}
          </a>
          {lookalikeMark(lookalikes)}
        </span>
        {strategy.description === null ? null : (
          <span className="strategy-description" title={revealHidden(strategy.description, "text")}>
            {shownText(strategy.description, "text")}
          </span>
        )}
        {strategyMarks({
          differences: [...differs].map((key) => FIELDS[key].label),
          usedBy,
          isNotApplied,
        })}
      </th>
      <td className="cell-security">
        {settings(
          ["startTls", FIELDS.startTls.label, policyBadge(strategy.startTls)],
          ["dane", FIELDS.dane.label, policyBadge(strategy.dane)],
          ["mtaSts", FIELDS.mtaSts.label, policyBadge(strategy.mtaSts)],
        )}
      </td>
      <td className="cell-certificates">
        {settings(["allowInvalidCerts", "Invalid certificates", certificates])}
      </td>
      <td className="cell-timeouts">
        {settings(
          ["tlsTimeout", "TLS handshake", formatDuration(strategy.tlsTimeout)],
          ["mtaStsTimeout", "MTA-STS lookup", formatDuration(strategy.mtaStsTimeout)],
        )}
      </td>
      {canDuplicate ? (
        <td className="cell-actions">
          <a
            href={duplicatePath(strategy.id)}
            onClick={followInAppLink}
            aria-describedby={nameId}
            {...intent(createPage)}
          >
            Duplicate
          </a>
        </td>
      ) : null}
    </tr>
  );
}

/**
 * When focus enters a row, whether its name or description is cut short: the whole text then
 * shows beside the row on keyboard focus (row.css, cards.css), out of the flow, so no row ever changes
 * height under the pointer (a click on the next row's checkbox once landed on nothing).
 */
function markTruncated(event: FocusEvent<HTMLTableRowElement>) {
  const cell = event.currentTarget.querySelector<HTMLElement>(".cell-strategy");
  if (!cell) return;
  const isCut = [
    ...cell.querySelectorAll<HTMLElement>(".strategy-name, .strategy-description"),
  ].some((element) => element.scrollWidth > element.clientWidth);
  cell.toggleAttribute("data-truncated", isCut);
}

/**
 * Compact marks under a name; each reads as a whole sentence to assistive technology. A
 * function, not a component: one fewer fiber in each row.
 */
/** "Looks like another name", naming the others (name-lookalike.ts), or nothing. */
function lookalikeMark(lookalikes: string[] | undefined) {
  const alike = lookalikes?.map((name) => `“${revealHidden(name)}”`).join(", ");
  return alike ? (
    <span className="mark mark-lookalike" title={`Looks the same as ${alike}`}>
      Looks like another name<span className="visually-hidden">: {alike}</span>
    </span>
  ) : null;
}

function strategyMarks({
  differences,
  usedBy,
  isNotApplied,
}: {
  differences: string[];
  usedBy: UsedBy | undefined;
  isNotApplied: boolean;
}) {
  if (!usedBy && !isNotApplied && differences.length === 0) return null;
  const differ = `Differs from defaults: ${differences.join(", ")}`;
  return (
    <span className="marks">
      {isNotApplied ? <span className="mark mark-pending">Not applied yet</span> : null}
      {usedBy ? (
        <span
          className="mark mark-used"
          title="Picked by name in the outbound strategy's TLS rules"
        >
          Used by <span className="visually-hidden">the outbound strategy's </span>
          {usedByWords(usedBy)}
        </span>
      ) : null}
      {differences.length > 0 ? (
        <span className="mark mark-custom" title={differ}>
          Differs from defaults<span className="visually-hidden">: {differences.join(", ")}</span>
        </span>
      ) : null}
    </span>
  );
}

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link } from "wouter";
import { ShownText } from "../../../components/shown-text";
import type { JmapClient } from "../../../jmap/client";
import { editPath } from "../../../paths";
import { tlsStrategyQueries } from "../../../stalwart/tls-strategy";
import { storedNamesQuery } from "../data/stored-names-query";
import { describeLookalike, findLookalike, type Lookalike } from "../model/name-lookalike";
import { nameProblem } from "./form-schema";

/** How long typing pauses before the name is checked, in ms. */
const NAME_CHECK_DELAY_MS = 400;

/** What the check says of the name typed on create. */
export interface NameCheck {
  /** The id of the strategy holding exactly this name. */
  takenBy: string | null;
  /** The stored strategy whose name looks the same (name-lookalike.ts). */
  lookalike: Lookalike | null;
  /** Checked against every stored name, and nothing holds it or looks like it. */
  isFree: boolean;
}

/**
 * Is the name free? Asked while typing (after a pause of NAME_CHECK_DELAY_MS), before the
 * server is asked to create it: a strategy holding exactly `typedName` (an `x:MtaTlsStrategy/
 * query` by name), or one whose name only looks the same (another Unicode form, capitals,
 * look-alike letters: Stalwart would keep them apart, but an admin reading the list could
 * not). Nothing is asked with `isEnabled` false (editing, where the name is read-only).
 */
export function useNameCheck(client: JmapClient, typedName: string, isEnabled: boolean): NameCheck {
  const [checkedName, setCheckedName] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setCheckedName(typedName), NAME_CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typedName]);
  const isCheckable = isEnabled && nameProblem(checkedName) === null;
  const byName = useQuery({
    ...tlsStrategyQueries.byName(client, checkedName),
    enabled: isCheckable,
  });
  const storedNames = useQuery({ ...storedNamesQuery(client), enabled: isEnabled });
  const isCurrent = isCheckable && checkedName === typedName;
  const takenBy = isCurrent && byName.data ? byName.data : null;
  const lookalike =
    isCurrent && storedNames.data ? findLookalike(typedName, storedNames.data.names) : null;
  return {
    takenBy,
    lookalike,
    isFree:
      isCurrent && byName.data === null && storedNames.data !== undefined && lookalike === null,
  };
}

/** Why a name cannot be used: it is taken, or looks the same as one that is; with a link to it. */
export function NameInUse({
  name,
  holder,
}: {
  name: string;
  holder: { id: string; name: string; lookalike?: Lookalike["reason"] };
}) {
  const open = (
    <Link href={editPath(holder.id)}>
      Open “<ShownText text={holder.name} />”
    </Link>
  );
  if (holder.lookalike === undefined) {
    return (
      <>
        A strategy named “<ShownText text={name} />” already exists. {open}
      </>
    );
  }
  return (
    <>
      “<ShownText text={name} />” looks the same as the existing strategy “
      <ShownText text={holder.name} />
      ”: {describeLookalike(holder.lookalike)}. Stalwart would keep the two apart, but no one
      reading the list could. Choose another name. {open}
    </>
  );
}

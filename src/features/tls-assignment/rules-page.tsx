import "../../components/field.css";
import "./rules.css";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { Link } from "wouter";
import { describeError } from "../../components/describe-error";
import { Notice } from "../../components/notice";
import { ViewHeader } from "../../components/view-heading";
import { OUTBOUND_STRATEGY_PERMISSIONS } from "../../jmap/protocol";
import { LIST_PATH } from "../../paths";
import { useJmapClient } from "../../session/auth";
import { usePermissions } from "../../session/permissions";
import { allTlsStrategiesQuery } from "../../stalwart/all-tls-strategies";
import { tlsRulesQuery } from "../../stalwart/outbound-tls-rules";
import { RulesEditor } from "./rules-editor";

// Which strategy applies where (README, "TLS rules"): the outbound strategy's `tls`
// expression as an ordered table, checked and evaluated in the browser. Loaded on demand.

const TITLE = "TLS rules";
const SUBTITLE =
  "Which TLS strategy Stalwart uses for each delivery: the rules are tried in order and the first that applies wins.";

function Frame({ children, title = TITLE }: { children: React.ReactNode; title?: string }) {
  return (
    <section className="rules-view">
      <title>{`${title} · TLS Strategies · Stalwart`}</title>
      <ViewHeader
        subtitle={SUBTITLE}
        actions={<Link href={LIST_PATH}>Back to TLS Strategies</Link>}
      >
        {TITLE}
      </ViewHeader>
      {children}
    </section>
  );
}

export function TlsRulesPage() {
  const client = useJmapClient();
  const permissions = usePermissions();
  const canRead = permissions.isKnown && permissions.canReadOutbound;
  const rules = useQuery({ ...tlsRulesQuery(client), enabled: canRead });
  const strategies = useQuery({ ...allTlsStrategiesQuery(client), enabled: canRead });
  const names = useMemo(
    () => [...new Set((strategies.data ?? []).map((strategy) => strategy.name))],
    [strategies.data],
  );
  if (!permissions.isKnown)
    return (
      <Frame>
        <p role="status" className="placeholder">
          Loading…
        </p>
      </Frame>
    );
  if (!permissions.canReadOutbound)
    return (
      <Frame title="Not allowed">
        <Notice tone="info">
          Reading the TLS rules needs the “{OUTBOUND_STRATEGY_PERMISSIONS.get}” permission, which
          your account does not hold.
        </Notice>
      </Frame>
    );
  if (rules.isError && !rules.data)
    return (
      <Frame title="Could not load">
        <Notice tone="error">
          <p>
            Could not read the rules.{" "}
            {describeError(rules.error, { permission: OUTBOUND_STRATEGY_PERMISSIONS.get })}
          </p>
          <button type="button" className="button" onClick={() => void rules.refetch()}>
            Try again
          </button>
        </Notice>
      </Frame>
    );
  if (!rules.data || strategies.isPending)
    return (
      <Frame>
        <p role="status" className="placeholder">
          Loading the rules…
        </p>
      </Frame>
    );
  return (
    <Frame>
      {strategies.isError ? (
        <Notice tone="error">
          The strategies could not be read ({describeError(strategies.error)}), so names no strategy
          has cannot be told from names that exist.
        </Notice>
      ) : null}
      <RulesEditor
        latest={rules.data}
        strategies={names}
        areStrategiesKnown={!strategies.isError}
        isReadOnly={!permissions.canUpdateOutbound}
        canApply={permissions.canReloadSettings}
        canCreate={permissions.canCreate}
      />
    </Frame>
  );
}

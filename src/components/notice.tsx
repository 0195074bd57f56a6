import type { ReactNode } from "react";

/** A message that says what happened: status for news, alert for failures. */
export function Notice({
  tone,
  children,
}: {
  tone: "success" | "error" | "info";
  children: ReactNode;
}) {
  return (
    <div role={tone === "error" ? "alert" : "status"} className={`notice notice-${tone}`}>
      {children}
    </div>
  );
}

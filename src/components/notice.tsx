import type { ReactNode } from "react";

/**
 * A message that says what happened: status for news, alert for failures. With an `id` it
 * can be focused by script (to be read first when a save is refused), not by Tab.
 */
export function Notice({
  tone,
  id,
  children,
}: {
  tone: "success" | "error" | "info";
  id?: string;
  children: ReactNode;
}) {
  return (
    <div
      id={id}
      tabIndex={id ? -1 : undefined}
      role={tone === "error" ? "alert" : "status"}
      className={`notice notice-${tone}`}
    >
      {children}
    </div>
  );
}

import type { ReactNode } from "react";
import type { Change, Comparison, EditableProperty } from "../model/changes";
import type { Finding, SecurityValues } from "../model/security-rules";
import type { TlsStrategyFormOutput } from "./form-schema";

// What the form and the pages that use it (create, edit) say to each other.

/** A confirmation before saving: the findings to accept and what the save changes. */
export interface ConfirmRequest {
  title: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  /** What to accept: introduced or changed by this save, or not seen on screen. */
  findings: Finding[];
  /** What this save changes ("What changes") or how it differs from the defaults. */
  changes: { heading: string; items: Change[] };
  /** What someone else changed since the form was loaded, kept by this save. */
  theirs: Change[];
  intro?: ReactNode;
}

/** What the form hands to the page when the admin saves valid values. */
export interface Submission {
  /** "apply": Save and apply, a settings reload in the same request (shared reference §11). */
  intent: "save" | "apply";
  values: TlsStrategyFormOutput;
  /** The form against its baseline, by meaning: the patch a save sends. */
  comparison: Comparison;
  /** The values the admin reviewed on screen, for the security review of the save. */
  seen: SecurityValues;
  /**
   * Findings of the destination test on screen (model/delivery-regression.ts): a draft that
   * bounces or downgrades mail the saved strategy delivers. Confirmed with the others.
   */
  deliveryFindings?: Finding[];
  /** Where the admin was when they pressed Save (`location.href`): see FlashMessage. */
  startedAt: string;
  /** Asks the admin to confirm; resolves true to go on. */
  confirm: (request: ConfirmRequest) => Promise<boolean>;
  /**
   * For a question the page asks in a dialog of its own (which value to keep): while it is
   * open, the form says it is waiting for an answer, not "Saving…".
   */
  whileAsking: <T>(question: Promise<T>) => Promise<T>;
}

/** Why a save did not go out, shown in the form (the page decides, after its own checks). */
export type SubmitOutcome =
  | { kind: "blocked"; findings: Finding[]; theirs: Change[] }
  | { kind: "nothing-to-save"; message: string }
  | undefined;

/** What a page may ask of the form while it runs (between renders). */
export interface FormControl {
  /** The properties whose text differs in meaning from the baseline, or cannot be read. */
  editedProperties: () => EditableProperty[];
}

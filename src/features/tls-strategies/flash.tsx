import { useEffect, useState } from "react";
import * as z from "zod/mini";
import { Notice } from "../../components/notice";
import { ShownText } from "../../components/shown-text";
import { ChangeList } from "./change-list";
import { type Change, EDITABLE } from "./changes";

// A message handed from the page that made a change to the list it returns to ("Saved
// “default”."), through the history entry's state: shown once, and forgotten by the entry so
// that a reload or Back does not show it again. The name travels apart from the words, so
// the list shows it isolated and with hidden characters revealed (issue 7 §7).

/** `${before}“${name}”${after}`, plus changes someone else made that the save kept. */
export interface FlashMessage {
  before: string;
  name: string;
  after: string;
  theirs?: Change[];
}

const flashSchema = z.object({
  before: z.string(),
  name: z.string(),
  after: z.string(),
  theirs: z.optional(
    z.array(z.object({ property: z.enum(EDITABLE), from: z.unknown(), to: z.unknown() })),
  ),
});

/** The history state that carries `message` to the next page. */
export const flashState = (message: FlashMessage) => ({ flash: message });

/** The message the page that navigated here left, once. */
export function useFlashMessage(): FlashMessage | null {
  const [message] = useState<FlashMessage | null>(() => {
    const state = window.history.state as { flash?: unknown } | null;
    const parsed = flashSchema.safeParse(state?.flash);
    return parsed.success ? (parsed.data as FlashMessage) : null;
  });
  useEffect(() => {
    if (message) window.history.replaceState(null, "", window.location.href);
  }, [message]);
  return message;
}

export function FlashNotice({ message }: { message: FlashMessage }) {
  return (
    <>
      <Notice tone="success">
        {message.before}“<ShownText text={message.name} />”{message.after}
      </Notice>
      {message.theirs && message.theirs.length > 0 ? (
        // Not a second live region: the status above is what is announced.
        <div className="notice notice-info">
          <p>Also kept, as someone else changed them since you opened it:</p>
          <ChangeList changes={message.theirs} />
        </div>
      ) : null}
    </>
  );
}

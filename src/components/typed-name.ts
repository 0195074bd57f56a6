import { revealHidden } from "./shown-text";

/** Whether `typed` is `name`: as stored, or as shown (hidden characters written ⟨U+…⟩). */
export function isTypedName(typed: string | undefined, name: string): boolean {
  const text = (typed ?? "").trim();
  return text === name || text === revealHidden(name);
}

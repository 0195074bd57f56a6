import type { ReactNode } from "react";

// Names and descriptions come from the server and may hold characters that change how the
// text around them is drawn (U+202E RIGHT-TO-LEFT OVERRIDE turns "\u202Etluafed" into what
// looks like "default") or that draw nothing at all (U+200B ZERO WIDTH SPACE). Wherever such
// text is shown, those characters are replaced by a visible "⟨U+202E⟩" and the text is
// isolated (<bdi>), so it can neither pass for another name nor reorder what surrounds it.

/**
 * In free text (a description): what changes the direction of text (bidi embeddings,
 * overrides, isolates and marks), controls, line and paragraph separators, and the
 * zero-width characters that hide inside words. Joiners and variation selectors stay, as
 * emoji need them.
 */
const HIDDEN_IN_TEXT = /[\p{Bidi_Control}\p{Cc}\p{Zl}\p{Zp}\u00AD\u200B\u2060-\u2064\uFEFF]/gu;

/**
 * In a name, everything a reader cannot see or that turns text around: every default-
 * ignorable code point (zero-width characters, joiners, variation selectors, fillers, tag
 * characters), format characters, controls, separators, the Braille blank, and every space
 * other than U+0020 (“de\u00A0fault” must not pass for a name typed with an ordinary space).
 * Ordinary spaces are revealed too where they cannot be seen: at either end, or doubled.
 */
const HIDDEN_IN_NAME = /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}\p{Zl}\p{Zp}\p{Zs}\u2800]/gu;

function hidden(kind: TextKind): RegExp {
  return kind === "name" ? HIDDEN_IN_NAME : HIDDEN_IN_TEXT;
}

/** A name is held to the stricter rule; free text (a description) may use any space. */
export type TextKind = "name" | "text";

/** Whether the character at `index` of `text` is hidden in a name or text of this kind. */
function isHiddenAt(text: string, index: number, char: string, kind: TextKind): boolean {
  if (char !== " ") return true;
  if (kind !== "name") return false;
  // An ordinary space is seen between two other characters; alone at an end, or next to
  // another space, it is not.
  return (
    index === 0 || index === text.length - 1 || text[index - 1] === " " || text[index + 1] === " "
  );
}

/** Scripts whose letters look alike (“а” is Cyrillic, “a” Latin). */
const CONFUSABLE_SCRIPTS = [
  { name: "Latin", pattern: /\p{Script=Latin}/u },
  { name: "Cyrillic", pattern: /\p{Script=Cyrillic}/u },
  { name: "Greek", pattern: /\p{Script=Greek}/u },
  { name: "Armenian", pattern: /\p{Script=Armenian}/u },
  { name: "Cherokee", pattern: /\p{Script=Cherokee}/u },
] as const;

/** The look-alike alphabets `text` mixes (“dеfault” with a Cyrillic е: Latin and Cyrillic). */
export function mixedScripts(text: string): string[] {
  const found = CONFUSABLE_SCRIPTS.filter(({ pattern }) => pattern.test(text)).map((s) => s.name);
  return found.length > 1 ? found : [];
}

const RIGHT_TO_LEFT =
  /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;

/**
 * `text` revealed and, if it holds right-to-left letters, wrapped in FIRST STRONG ISOLATE …
 * POP DIRECTIONAL ISOLATE: for places that take plain text only, such as the tab's title.
 */
export function isolatedText(text: string, kind: TextKind = "name"): string {
  const revealed = revealHidden(text, kind);
  return RIGHT_TO_LEFT.test(revealed) ? `\u2068${revealed}\u2069` : revealed;
}

/** "U+202E" for one character. */
export function codePointLabel(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/** The invisible or direction-changing characters in `text`, each once, as "U+202E". */
export function hiddenCharacters(text: string, kind: TextKind = "name"): string[] {
  const labels = Array.from(text.matchAll(hidden(kind)))
    .filter((match) => isHiddenAt(text, match.index ?? 0, match[0], kind))
    .map((match) => codePointLabel(match[0]));
  return [...new Set(labels)];
}

/** `text` with each invisible or direction-changing character written as "⟨U+202E⟩". */
export function revealHidden(text: string, kind: TextKind = "name"): string {
  return revealedParts(text, kind)
    .map((part) => part.text)
    .join("");
}

/** Splits `text` into plain runs and revealed characters, for styling the latter. */
function revealedParts(text: string, kind: TextKind): { text: string; isHidden: boolean }[] {
  const parts: { text: string; isHidden: boolean }[] = [];
  let last = 0;
  for (const match of text.matchAll(hidden(kind))) {
    if (!isHiddenAt(text, match.index ?? 0, match[0], kind)) continue;
    const index = match.index ?? 0;
    if (index > last) parts.push({ text: text.slice(last, index), isHidden: false });
    parts.push({ text: `⟨${codePointLabel(match[0])}⟩`, isHidden: true });
    last = index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), isHidden: false });
  return parts;
}

/**
 * Server text (a strategy's name or description) as it may be shown: isolated from the text
 * around it (`<bdi>`), with invisible and direction-changing characters made visible.
 */
export function ShownText({
  text,
  kind = "name",
  className,
}: {
  text: string;
  kind?: TextKind;
  className?: string;
}): ReactNode {
  return shownText(text, kind, className);
}

/**
 * ShownText as a function, for what renders many times over (the list's rows): the same
 * element without a component of its own around it.
 */
export function shownText(text: string, kind: TextKind = "name", className?: string) {
  const parts = revealedParts(text, kind);
  // Most text has nothing to reveal: one string child, no fiber of its own for it.
  if (parts.every((part) => !part.isHidden)) return <bdi className={className}>{text}</bdi>;
  return (
    <bdi className={className}>
      {parts.map((part, index) =>
        part.isHidden ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts never move
          <span key={index} className="hidden-char">
            {part.text}
          </span>
        ) : (
          part.text
        ),
      )}
    </bdi>
  );
}

/** A strategy's name in quotes, as headings, dialogs and notices show it: “default”. */
export function QuotedName({ name }: { name: string }): ReactNode {
  return (
    <>
      “<ShownText text={name} />”
    </>
  );
}

import { renderToStaticMarkup } from "react-dom/server";
import { expect, test } from "vitest";
import { hiddenCharacters, isolatedText, revealHidden, ShownText } from "./shown-text";

test("a right-to-left override cannot make a name pass for another", () => {
  expect(revealHidden("\u202Etluafed")).toBe("⟨U+202E⟩tluafed");
  expect(renderToStaticMarkup(<ShownText text={"\u202Etluafed"} />)).toBe(
    '<bdi><span class="hidden-char">⟨U+202E⟩</span>tluafed</bdi>',
  );
});

test.each([
  ["zero width space", "de\u200Bfault", "U+200B"],
  ["byte order mark", "\uFEFFdefault", "U+FEFF"],
  ["left-to-right isolate", "a\u2066b", "U+2066"],
  ["arabic letter mark", "a\u061Cb", "U+061C"],
  ["control", "a\u0007b", "U+0007"],
  ["no-break space", "a\u00A0b", "U+00A0"],
  ["hangul filler", "a\u3164b", "U+3164"],
  ["variation selector", "a\uFE0Fb", "U+FE0F"],
  ["tag character", "a\u{E0041}b", "U+E0041"],
])("a name's %s is made visible", (_label, name, code) => {
  expect(hiddenCharacters(name)).toEqual([code]);
  expect(revealHidden(name)).toContain(`⟨${code}⟩`);
});

test("ordinary spaces are revealed in a name where they cannot be seen: at the ends, or doubled", () => {
  expect(revealHidden("default ")).toBe("default⟨U+0020⟩");
  expect(revealHidden(" a  b")).toBe("⟨U+0020⟩a⟨U+0020⟩⟨U+0020⟩b");
  expect(revealHidden("eu relay")).toBe("eu relay");
  expect(hiddenCharacters("default ")).toEqual(["U+0020"]);
});

test("a combining grapheme joiner and other default-ignorable characters are revealed", () => {
  expect(revealHidden("de\u034Ffault")).toBe("de⟨U+034F⟩fault");
  expect(revealHidden("a\u2061b")).toBe("a⟨U+2061⟩b");
});

test("plain-text places isolate right-to-left names", () => {
  expect(isolatedText("default")).toBe("default");
  expect(isolatedText("שלום")).toBe("\u2068שלום\u2069");
  expect(isolatedText("\u202Etluafed")).toBe("⟨U+202E⟩tluafed");
});

test("ordinary text is shown as it is, isolated", () => {
  expect(revealHidden("eu relay")).toBe("eu relay");
  expect(hiddenCharacters("défaut")).toEqual([]);
  expect(renderToStaticMarkup(<ShownText text="שלום" />)).toBe("<bdi>שלום</bdi>");
});

test("a description may use any space, emoji joiners and doubled spaces, but not direction overrides", () => {
  expect(revealHidden("Relais\u202F: partenaires", "text")).toBe("Relais\u202F: partenaires");
  expect(revealHidden("a  b ", "text")).toBe("a  b ");
  expect(revealHidden("\u2764\uFE0F \u{1F468}\u200D\u{1F469}", "text")).toBe(
    "\u2764\uFE0F \u{1F468}\u200D\u{1F469}",
  );
  expect(revealHidden("a\u202Eb", "text")).toBe("a⟨U+202E⟩b");
});

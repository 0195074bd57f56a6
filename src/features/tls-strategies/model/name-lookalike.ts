// Names that look the same are the same name (README, "Edits that never go wrong quietly").
// Stalwart compares names byte for byte, so "café" written with U+00E9 and "café" written as
// "e" + U+0301, or "Default" beside "default", or "dev-relay" with a Cyrillic "е", are
// different strategies to it, and an admin reading the list cannot tell them apart. A new
// name that looks like an existing one is refused, naming the one it looks like; stored names
// that already look alike are marked in the list. Nothing here is stricter than the server
// for what exists: a stored name is never refused.
//
// The comparison is a skeleton in the sense of Unicode TS #39 §4: compatibility-normalised
// (NFKC), look-alike characters mapped to one representative, lower-cased, decomposed (NFD).
// The full confusables.txt has about 6,000 entries; these are the ones that matter for
// strategy names (letters, digits, "-", "_", "."): Latin look-alikes inside Latin, and the
// Cyrillic and Greek letters that pass for Latin ones (UTS #39 confusables.txt, 15.1).

/** Single characters and the character they pass for (after NFKC, before lower-casing). */
const LOOK_ALIKE_BASE: Record<string, string> = {
  // Latin inside Latin: dotless i, script a and g, small capitals, digits for letters.
  ı: "i",
  ɩ: "i",
  ɪ: "i",
  ȷ: "j",
  ɑ: "a",
  ɡ: "g",
  ɢ: "g",
  ʜ: "h",
  ʟ: "l",
  ɴ: "n",
  ʀ: "r",
  ʏ: "y",
  ᴀ: "a",
  ᴄ: "c",
  ᴅ: "d",
  ᴇ: "e",
  ᴊ: "j",
  ᴋ: "k",
  ᴍ: "m",
  ᴏ: "o",
  ᴘ: "p",
  ᴛ: "t",
  ᴜ: "u",
  ᴠ: "v",
  ᴡ: "w",
  ᴢ: "z",
  ƅ: "b",
  ǀ: "l",
  ɾ: "r",
  "0": "o",
  "1": "l",
  I: "l",
  // Cyrillic that reads as Latin.
  а: "a",
  е: "e",
  о: "o",
  р: "p",
  с: "c",
  у: "y",
  х: "x",
  ѕ: "s",
  і: "i",
  ј: "j",
  ԁ: "d",
  ԛ: "q",
  ԝ: "w",
  һ: "h",
  ӏ: "l",
  А: "a",
  В: "b",
  Е: "e",
  К: "k",
  М: "m",
  Н: "h",
  О: "o",
  Р: "p",
  С: "c",
  Т: "t",
  Х: "x",
  У: "y",
  І: "l",
  Ј: "j",
  Ѕ: "s",
  // Greek that reads as Latin.
  α: "a",
  ο: "o",
  ν: "v",
  ρ: "p",
  ι: "i",
  κ: "k",
  υ: "u",
  χ: "x",
  ϲ: "c",
  Α: "a",
  Β: "b",
  Ε: "e",
  Ζ: "z",
  Η: "h",
  Ι: "l",
  Κ: "k",
  Μ: "m",
  Ν: "n",
  Ο: "o",
  Ρ: "p",
  Τ: "t",
  Υ: "y",
  Χ: "x",
  // Armenian that reads as Latin.
  օ: "o",
  ո: "n",
  ս: "u",
  հ: "h",
  զ: "q",
  ց: "g",
  ք: "p",
  Ս: "u",
  Օ: "o",
  Լ: "l",
  // Dashes that pass for "-".
  "\u2010": "-",
  "\u2011": "-",
  "\u2012": "-",
  "\u2013": "-",
  "\u2014": "-",
  "\u2015": "-",
  "\u2212": "-",
};

/** Cherokee capitals read as Latin ones; their small forms (a lower-cased name) read the same. */
const CHEROKEE: Record<string, string> = {
  Ꭺ: "a",
  Ᏼ: "b",
  Ꮯ: "c",
  Ꭼ: "e",
  Ꮋ: "h",
  Ꭻ: "j",
  Ꮶ: "k",
  Ꮮ: "l",
  Ꮇ: "m",
  Ꮲ: "p",
  Ꮪ: "s",
  Ꮤ: "t",
  Ꮩ: "v",
  Ꮃ: "w",
  Ꮓ: "z",
  Ꮑ: "n",
  Ꭵ: "i",
  Ꮍ: "y",
};

const LOOK_ALIKE: Record<string, string> = {
  ...LOOK_ALIKE_BASE,
  ...CHEROKEE,
  ...Object.fromEntries(
    Object.entries(CHEROKEE).map(([upper, latin]) => [upper.toLowerCase(), latin]),
  ),
};

/** Pairs that pass for one letter, once lower-cased. */
const LOOK_ALIKE_PAIRS: [RegExp, string][] = [
  [/rn/g, "m"],
  [/vv/g, "w"],
  [/cl/g, "d"],
];

/**
 * A skeleton (Unicode TS #39 §4, with the reduced table above) of text already decomposed
 * (NFKD): each base letter is mapped alone, so "ѐ" (Cyrillic е with a grave) meets "è".
 */
function skeleton(text: string): string {
  let key = Array.from(text, (char) => LOOK_ALIKE[char] ?? char)
    .join("")
    .toLowerCase();
  for (const [pattern, replacement] of LOOK_ALIKE_PAIRS) key = key.replace(pattern, replacement);
  return key.normalize("NFD");
}

/**
 * The two skeletons of a name: with look-alikes mapped before lower-casing ("I" passes for
 * "l"), and after it ("I" is "i", so "Invalid" is "invalid"). Two names look alike when
 * either of their skeletons is the same: neither order alone catches both.
 */
export function lookalikeKeys(name: string): [string, string] {
  const decomposed = name.normalize("NFKD");
  return [skeleton(decomposed), skeleton(decomposed.toLowerCase().normalize("NFKD"))];
}

/** Whether two names look alike (the same name included). */
function isLookalike(a: readonly [string, string], b: readonly [string, string]): boolean {
  return a[0] === b[0] || a[1] === b[1];
}

/** How two different names that look alike differ, for the message that says so. */
export type LookalikeReason = "normalization" | "compatibility" | "case" | "confusable";

/** Why `a` and `b` look alike, or null when they are the same name or do not look alike. */
export function lookalikeReason(a: string, b: string): LookalikeReason | null {
  if (a === b || !isLookalike(lookalikeKeys(a), lookalikeKeys(b))) return null;
  if (a.normalize("NFC") === b.normalize("NFC")) return "normalization";
  if (a.normalize("NFKC") === b.normalize("NFKC")) return "compatibility";
  if (a.normalize("NFKC").toLowerCase() === b.normalize("NFKC").toLowerCase()) return "case";
  return "confusable";
}

const REASONS: Record<LookalikeReason, string> = {
  normalization:
    "the same letters written with other Unicode code points (such as “é” as “e” with a combining accent)",
  compatibility:
    "the same letters in another form of the same characters (full-width, ligatures, superscripts)",
  case: "it differs only by capitals",
  confusable: "it uses letters that look the same (such as “ı” and “i”, “0” and “o”, “rn” and “m”)",
};

/** The words for a reason: "it differs only by capitals". */
export const describeLookalike = (reason: LookalikeReason) => REASONS[reason];

export interface Lookalike {
  id: string;
  name: string;
  reason: LookalikeReason;
}

/**
 * The existing strategy `name` would look like, or null. `existing` maps ids to names; a
 * strategy of exactly this name is not a look-alike (that is "taken", said elsewhere).
 */
export function findLookalike(
  name: string,
  existing: ReadonlyMap<string, string>,
): Lookalike | null {
  const keys = lookalikeKeys(name);
  for (const [id, other] of existing) {
    if (other === name || !isLookalike(keys, lookalikeKeys(other))) continue;
    const reason = lookalikeReason(name, other);
    if (reason) return { id, name: other, reason };
  }
  return null;
}

/**
 * For each stored strategy (id → name) whose name looks like another's, the others' names:
 * what the list marks. Strategies without a look-alike are left out. Linear in the number of
 * names: strategies are joined through either skeleton (a union-find), never compared pair
 * by pair.
 */
export function lookalikeGroups(names: ReadonlyMap<string, string>): Map<string, string[]> {
  const parent = new Map<string, string>();
  const root = (id: string): string => {
    let at = id;
    while (parent.get(at) !== at) at = parent.get(at) ?? at;
    parent.set(id, at);
    return at;
  };
  const firstWith = [new Map<string, string>(), new Map<string, string>()] as const;
  for (const [id, name] of names) {
    parent.set(id, id);
    lookalikeKeys(name).forEach((key, index) => {
      const seen = firstWith[index as 0 | 1];
      const other = seen.get(key);
      if (other === undefined) seen.set(key, id);
      else parent.set(root(id), root(other));
    });
  }
  const members = new Map<string, string[]>();
  for (const id of names.keys()) members.set(root(id), [...(members.get(root(id)) ?? []), id]);
  const groups = new Map<string, string[]>();
  for (const ids of members.values()) {
    for (const id of ids) {
      const own = names.get(id);
      const others = ids
        .filter((other) => other !== id && names.get(other) !== own)
        .map((other) => names.get(other) ?? "");
      if (others.length > 0) groups.set(id, others);
    }
  }
  return groups;
}

import type { Target } from "./facts";

// What may be tested: a recipient domain, or an address whose domain is used. IDNs are shown
// and probed as their A-label (RFC 5890), as Stalwart looks them up. Pure and without Node
// built-ins: the page checks a target before anything is sent, and the server (which imports
// this module) refuses the same targets with the same words.

/** The longest input accepted, in characters. */
export const MAX_TARGET_INPUT = 300;
const MAX_DOMAIN = 253;

/** RFC 3986 IPv4 in any of the forms the URL parser reads (1.2.3.4, 0x7f.1, 2130706433). */
const IPV4_LIKE = /^(0x[0-9a-f]*|\d+)(\.(0x[0-9a-f]*|\d+)){0,3}$/i;
/** An IPv6 literal (with or without its brackets, an optional zone): hex, colons and dots. */
const IPV6_LIKE = /^[0-9a-f:.]*:[0-9a-f:.]*(%.*)?$/i;

/**
 * The A-label of `domain` (lower case), by the WHATWG URL host parser (UTS #46, what
 * node:url's domainToASCII runs too), or "" when it is not a host name. ASCII characters other
 * than letters, digits, `-`, `_` and `.` are refused first: the URL parser would
 * percent-decode or drop them (`%41`, a trailing `:80`).
 */
export function domainToAscii(domain: string): string {
  for (const char of domain) if (char.charCodeAt(0) < 0x80 && !/[a-z0-9_.-]/i.test(char)) return "";
  try {
    return new URL(`http://${domain}/`).hostname;
  } catch {
    return "";
  }
}

/** The Unicode form of an A-label domain, for display next to it (unchanged when ASCII). */
export function unicodeDomain(domain: string): string {
  if (!/(^|\.)xn--/i.test(domain)) return domain;
  // The URL API has no ToUnicode; punycode's decoding of each xn-- label (RFC 3492).
  return domain
    .split(".")
    .map((label) =>
      label.toLowerCase().startsWith("xn--") ? decodePunycode(label.slice(4)) || label : label,
    )
    .join(".");
}

/**
 * The target for `input` ("example.com", "user@example.com", "bücher.example"), or an error
 * text naming what is wrong: empty, spaces, over 300 characters (253 for the domain), an IP
 * literal, `localhost`, a label over 63 characters, or not a domain name at all.
 */
export function parseTarget(input: string): { target: Target } | { error: string } {
  const text = input.trim();
  if (!text) return { error: "Enter a domain (example.com) or an address (user@example.com)." };
  if (text.length > MAX_TARGET_INPUT)
    return { error: `That is over ${MAX_TARGET_INPUT} characters.` };
  if (/\s/.test(text)) return { error: "A domain or address has no spaces." };
  const at = text.lastIndexOf("@");
  const local = at === -1 ? null : text.slice(0, at);
  if (local !== null && (local.length === 0 || local.length > 64 || /[<>"\\,;]/.test(local)))
    return {
      error: `"${text}" is not an address: the part before @ is empty, too long or has <>",;\\.`,
    };
  const rawDomain = (at === -1 ? text : text.slice(at + 1)).replace(/\.$/, "");
  const bare = rawDomain.replace(/^\[|\]$/g, "");
  const ipError = {
    error: "IP addresses cannot be tested: enter the domain that receives the mail.",
  };
  if (IPV4_LIKE.test(bare) || (bare.includes(":") && IPV6_LIKE.test(bare))) return ipError;
  const domain = domainToAscii(rawDomain.toLowerCase());
  if (!domain || domain.startsWith(".") || domain.includes(".."))
    return { error: `"${rawDomain}" is not a domain name.` };
  // Full-width digits and the like become an IPv4 address only once mapped.
  if (IPV4_LIKE.test(domain)) return ipError;
  if (domain === "localhost" || domain.endsWith(".localhost"))
    return {
      error: "localhost cannot be tested: enter a domain that receives mail from the internet.",
    };
  if (domain.length > MAX_DOMAIN) return { error: `The domain is over ${MAX_DOMAIN} characters.` };
  if (domain.split(".").some((label) => label.length > 63 || !/^[a-z0-9_-]+$/.test(label)))
    return {
      error: `"${rawDomain}" is not a domain name (labels are letters, digits and hyphens, up to 63).`,
    };
  const address = local === null ? undefined : `${local}@${domain}`;
  return { target: { input: text, domain, ...(address ? { address } : {}) } };
}

/** RFC 3492 §6.2 decoding of one label's punycode (without "xn--"), or null if malformed. */
function decodePunycode(input: string): string | null {
  const base = 36;
  const output: number[] = [];
  const basic = input.lastIndexOf("-");
  for (let i = 0; i < Math.max(0, basic); i += 1) output.push(input.charCodeAt(i));
  let n = 128;
  let bias = 72;
  let i = 0;
  // Bounded: each pass consumes at least one character of the (≤ 63-character) label.
  for (let index = basic > 0 ? basic + 1 : 0; index < input.length; ) {
    const oldI = i;
    let w = 1;
    for (let k = base; ; k += base) {
      if (index >= input.length) return null;
      const code = input.charCodeAt(index++);
      const digit =
        code - 48 < 10 ? code - 22 : code - 65 < 26 ? code - 65 : code - 97 < 26 ? code - 97 : base;
      if (digit >= base) return null;
      i += digit * w;
      const t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
      if (digit < t) break;
      w *= base - t;
      if (w > 0x10ffff * base) return null;
    }
    const length = output.length + 1;
    let delta = oldI === 0 ? Math.floor((i - oldI) / 700) : Math.floor((i - oldI) / 2);
    delta += Math.floor(delta / length);
    let k = 0;
    while (delta > 455) {
      delta = Math.floor(delta / 35);
      k += base;
    }
    bias = k + Math.floor((36 * delta) / (delta + 38));
    n += Math.floor(i / length);
    i %= length;
    if (n > 0x10ffff) return null;
    output.splice(i, 0, n);
    i += 1;
  }
  return String.fromCodePoint(...output);
}

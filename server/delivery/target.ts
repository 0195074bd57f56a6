import { isIP } from "node:net";
import { domainToASCII, domainToUnicode } from "node:url";
import type { Target } from "../../src/stalwart/delivery/facts";

// What may be tested: a recipient domain, or an address whose domain is used. IDNs are shown
// and probed as their A-label (RFC 5890), as Stalwart looks them up.

const MAX_INPUT = 300;
const MAX_DOMAIN = 253;

/**
 * The target for `input` ("example.com", "user@example.com", "bücher.example"), or an error
 * text naming what is wrong: empty, spaces, over 300 characters (253 for the domain), an IP
 * literal, `localhost`, a label over 63 characters, or not a domain name at all.
 */
export function parseTarget(input: string): { target: Target } | { error: string } {
  const text = input.trim();
  if (!text) return { error: "Enter a domain (example.com) or an address (user@example.com)." };
  if (text.length > MAX_INPUT) return { error: `That is over ${MAX_INPUT} characters.` };
  if (/\s/.test(text)) return { error: "A domain or address has no spaces." };
  const at = text.lastIndexOf("@");
  const local = at === -1 ? null : text.slice(0, at);
  if (local !== null && (local.length === 0 || local.length > 64 || /[<>"\\,;]/.test(local)))
    return {
      error: `"${text}" is not an address: the part before @ is empty, too long or has <>",;\\.`,
    };
  const rawDomain = (at === -1 ? text : text.slice(at + 1)).replace(/\.$/, "");
  const bare = rawDomain.replace(/^\[|\]$/g, "");
  if (isIP(bare) || /^\d+(\.\d+){0,3}$/.test(bare))
    return { error: "IP addresses cannot be tested: enter the domain that receives the mail." };
  const domain = domainToASCII(rawDomain.toLowerCase());
  if (!domain || domain.startsWith(".") || domain.includes(".."))
    return { error: `"${rawDomain}" is not a domain name.` };
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

/** The Unicode form of an A-label domain, for display next to it. */
export const unicodeDomain = (domain: string) => domainToUnicode(domain) || domain;

// What may be tested (a recipient domain, or an address whose domain is used) is one rule for
// the page and the server: the page checks before sending, the server refuses the same
// targets with the same words. The rules live in src/stalwart/delivery/target.ts.

export { parseTarget, unicodeDomain } from "../../src/stalwart/delivery/target";

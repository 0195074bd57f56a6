import { renderToStaticMarkup } from "react-dom/server";
import { expect, test } from "vitest";
import type { AddressFacts } from "../../stalwart/delivery/facts";
import { HostFactsView } from "./host-facts";

// What an admin reads about one address; the wording that tells a blocked network from a
// broken destination (README, "Testing a destination").

const probed = (address: Partial<AddressFacts>) =>
  renderToStaticMarkup(
    <HostFactsView
      host={{
        name: "mx.example.com",
        addresses: [{ address: "192.0.2.1", done: true, ...address }],
      }}
      heading="h3"
      port={25}
      isCollecting={false}
    />,
  );

test("a connection that times out on port 25 says that networks often block it", () => {
  const text = probed({
    connect: { ok: false, elapsedMs: 10_000, timeoutMs: 10_000, timedOut: true },
  });
  expect(text).toContain("Connection to port 25 timed out after 10 s.");
  expect(text).toContain("block outbound port 25");
});

test("a refused connection is the destination's answer, without the network hint", () => {
  const text = probed({
    connect: {
      ok: false,
      elapsedMs: 3,
      timeoutMs: 10_000,
      timedOut: false,
      error: "I/O error: Connection refused (os error 111)",
    },
  });
  expect(text).toContain("Connection failed: I/O error: Connection refused (os error 111).");
  expect(text).not.toContain("block outbound port 25");
});

test("an address the filter refused is named with its range and not probed", () => {
  const text = probed({ refused: "loopback (RFC 1122) 127.0.0.0/8" });
  expect(text).toContain("Not probed: loopback (RFC 1122) 127.0.0.0/8.");
});

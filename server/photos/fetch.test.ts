import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addressProblem, DEFAULT_FETCH_POLICY, FetchRefused, safeFetch, type FetchPolicy } from "./fetch";

// A loopback server allow-listed as the test's own "photo host", with the routes an attacker would use.
let server: http.Server;
let host: string;
let policy: FetchPolicy;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const port = (server.address() as AddressInfo).port;
    switch (req.url) {
      case "/ok.jpg":
        res.writeHead(200, { "content-type": "image/jpeg" }).end(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
        return;
      case "/to-loopback":
        res.writeHead(302, { location: `https://localhost:${port}/ok.jpg` }).end();
        return;
      case "/to-metadata":
        res.writeHead(301, { location: "http://169.254.169.254/latest/meta-data/" }).end();
        return;
      case "/loop":
        res.writeHead(302, { location: "/loop" }).end();
        return;
      case "/hop":
        res.writeHead(302, { location: "/ok.jpg" }).end();
        return;
      case "/endless": {
        res.writeHead(200, { "content-type": "image/jpeg" });
        const block = Buffer.alloc(64 * 1024, 1);
        const pump = () => {
          while (res.write(block)) {
            /* keep writing until the client goes */
          }
        };
        res.on("drain", pump);
        res.on("close", () => res.off("drain", pump));
        pump();
        return;
      }
      case "/huge":
        res.writeHead(200, { "content-type": "image/jpeg", "content-length": String(50 * 1024 * 1024) });
        res.write(Buffer.alloc(1024));
        return;
      case "/silent":
        return; // never answers
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  policy = { ...DEFAULT_FETCH_POLICY, httpHosts: [host], maxBytes: 2 * 1024 * 1024, timeoutMs: 1500 };
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function refusal(url: string): Promise<FetchRefused> {
  try {
    await safeFetch(url, policy);
  } catch (error) {
    if (error instanceof FetchRefused) return error;
    throw error;
  }
  throw new Error(`${url} was fetched`);
}

describe("safeFetch refuses what could reach our own network", () => {
  it.each([
    ["https://127.0.0.1/x.jpg", /127\.0\.0\.1 is a loopback address/],
    ["https://[::1]/x.jpg", /loopback/],
    ["https://10.0.0.1/x.jpg", /private/],
    ["https://192.168.1.20/x.jpg", /private/],
    ["https://169.254.169.254/latest/meta-data/", /linkLocal/],
    ["https://[::ffff:127.0.0.1]/x.jpg", /127\.0\.0\.1 is a loopback/],
    ["https://[fd00:ec2::254]/x.jpg", /uniqueLocal/],
    ["https://100.64.0.1/x.jpg", /carrierGradeNat/],
    ["https://224.0.0.1/x.jpg", /multicast/],
    ["https://0.0.0.0/x.jpg", /unspecified/],
    // The URL parser turns decimal, octal and hex forms into dotted quads before anything is checked.
    ["https://2130706433/x.jpg", /127\.0\.0\.1 is a loopback/],
    ["https://0177.0.0.1/x.jpg", /127\.0\.0\.1 is a loopback/],
    ["https://0x7f.1/x.jpg", /127\.0\.0\.1 is a loopback/],
  ])("%s", async (url, message) => {
    const error = await refusal(url);
    expect(error.reason).toBe("address");
    expect(error.message).toMatch(message);
  });

  it("a name that resolves to loopback is refused at its lookup", async () => {
    const error = await refusal("https://localhost/x.jpg");
    expect(error.reason).toBe("address");
    expect(error.message).toMatch(/localhost resolves to 127\.0\.0\.1 is a loopback address|resolves to ::1/);
  });

  it("plain http is refused unless the exact host:port is allow-listed", async () => {
    expect((await refusal("http://example.com/x.jpg")).reason).toBe("scheme");
    expect((await refusal(`http://${host.replace("127.0.0.1", "localhost")}/ok.jpg`)).reason).toBe("scheme");
    expect((await refusal("ftp://example.com/x.jpg")).reason).toBe("scheme");
    expect((await refusal("https://user:pw@example.com/x.jpg")).reason).toBe("bad_url");
    expect((await refusal("not a url")).reason).toBe("bad_url");
  });

  it("an allowed host redirecting to loopback or to the metadata service is refused at the hop", async () => {
    expect((await refusal(`http://${host}/to-loopback`)).reason).toBe("address");
    expect((await refusal(`http://${host}/to-metadata`)).reason).toBe("scheme");
  });

  it("redirect loops, endless bodies, 50 MB files and silent servers are cut off", async () => {
    expect((await refusal(`http://${host}/loop`)).reason).toBe("redirects");
    expect((await refusal(`http://${host}/endless`)).reason).toBe("too_large");
    const huge = await refusal(`http://${host}/huge`);
    expect(huge.reason).toBe("too_large");
    expect(huge.message).toContain("52428800 bytes");
    const started = Date.now();
    expect((await refusal(`http://${host}/silent`)).reason).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("fetches an allowed image, following a redirect by hand", async () => {
    const { bytes } = await safeFetch(`http://${host}/hop`, policy);
    expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  });

  it("classifies public unicast addresses as fetchable", () => {
    expect(addressProblem("93.184.215.14")).toBeNull();
    expect(addressProblem("2606:4700::1111")).toBeNull();
    expect(addressProblem("::ffff:10.1.2.3")).toMatch(/private/);
  });
});

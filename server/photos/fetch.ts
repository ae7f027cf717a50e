import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * Fetching a photo a caller names by URL, without letting the URL reach anything of ours (SSRF):
 * - https only; plain http (and a loopback address) only for the exact host:port pairs a test
 *   allow-lists (PHOTO_FETCH_HTTP_HOSTS);
 * - every address a name resolves to must be public unicast (ipaddr.js classifies private,
 *   loopback, link-local and cloud metadata, multicast, reserved, CGNAT, unique-local and
 *   IPv4-mapped forms); the check runs in the socket's own DNS lookup, so the address checked is
 *   the address connected to (no rebinding between check and use), and IP literals (decimal and
 *   octal forms are normalised by the URL parser first) are checked before any connection;
 * - redirects are followed by hand, each hop checked again, at most MAX_REDIRECTS;
 * - the body is cut at `maxBytes` (a declared length over it is refused before reading), and the
 *   whole fetch at `timeoutMs`.
 */
export interface FetchPolicy {
  httpHosts: readonly string[];
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
}

export const DEFAULT_FETCH_POLICY: FetchPolicy = { httpHosts: [], maxBytes: 15 * 1024 * 1024, timeoutMs: 10_000, maxRedirects: 3 };

export class FetchRefused extends Error {
  constructor(
    readonly reason: "bad_url" | "scheme" | "address" | "redirects" | "too_large" | "timeout" | "http_status" | "network",
    message: string,
  ) {
    super(message);
    this.name = "FetchRefused";
  }
}

/** Why an address may not be fetched, or null when it is public unicast. */
export function addressProblem(address: string): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  return range === "unicast" ? null : `${parsed.toString()} is a ${range} address`;
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

export async function safeFetch(raw: string, policy: FetchPolicy = DEFAULT_FETCH_POLICY): Promise<{ bytes: Buffer; url: string; contentType: string | null }> {
  const deadline = Date.now() + policy.timeoutMs;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchRefused("bad_url", "not a valid URL");
  }
  for (let hop = 0; ; hop++) {
    const trusted = url.protocol === "http:" && policy.httpHosts.includes(url.host.toLowerCase());
    if (url.protocol !== "https:" && !trusted) throw new FetchRefused("scheme", `${url.protocol.replace(":", "")} is not allowed: photo URLs must be https`);
    if (url.username || url.password) throw new FetchRefused("bad_url", "URLs with credentials are not allowed");
    const host = hostOf(url);
    if (!trusted && ipaddr.isValid(host)) {
      const problem = addressProblem(host);
      if (problem) throw new FetchRefused("address", `refused: ${problem}`);
    }
    const response = await requestOnce(url, trusted, policy, deadline);
    if (response.status >= 300 && response.status < 400 && response.location) {
      if (hop >= policy.maxRedirects) throw new FetchRefused("redirects", `more than ${policy.maxRedirects} redirects`);
      try {
        url = new URL(response.location, url);
      } catch {
        throw new FetchRefused("bad_url", "the redirect's location is not a valid URL");
      }
      continue;
    }
    if (response.status !== 200) throw new FetchRefused("http_status", `the server answered ${response.status}`);
    return { bytes: response.body!, url: url.toString(), contentType: response.contentType };
  }
}

function checkedLookup(): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      for (const a of addresses) {
        const problem = addressProblem(a.address);
        if (problem) return callback(new FetchRefused("address", `refused: ${hostname} resolves to ${problem}`), "", 0);
      }
      if (addresses.length === 0) return callback(new FetchRefused("network", `${hostname} has no address`), "", 0);
      if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

interface Answer {
  status: number;
  location?: string;
  contentType: string | null;
  body?: Buffer;
}

function requestOnce(url: URL, trusted: boolean, policy: FetchPolicy, deadline: number): Promise<Answer> {
  const remaining = deadline - Date.now();
  if (remaining <= 0) return Promise.reject(new FetchRefused("timeout", `no answer within ${policy.timeoutMs} ms`));
  const client = url.protocol === "https:" ? https : http;
  return new Promise<Answer>((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: "GET",
        headers: { accept: "image/jpeg, image/png, image/webp, image/*;q=0.8", "user-agent": "stylist-photo-fetch" },
        lookup: trusted ? undefined : checkedLookup(),
        timeout: remaining,
        // No connection reuse: an agent could hand over a socket whose address was checked for another host.
        agent: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          res.resume();
          resolve({ status, location: res.headers.location, contentType: null });
          return;
        }
        if (status !== 200) {
          res.resume();
          resolve({ status, contentType: null });
          return;
        }
        const declared = Number(res.headers["content-length"]);
        if (Number.isFinite(declared) && declared > policy.maxBytes) {
          req.destroy();
          reject(new FetchRefused("too_large", `the file is ${declared} bytes; at most ${policy.maxBytes} are accepted`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > policy.maxBytes) {
            req.destroy();
            reject(new FetchRefused("too_large", `the file is over ${policy.maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on("end", () => resolve({ status, contentType: res.headers["content-type"] ?? null, body: Buffer.concat(chunks) }));
        res.on("error", (error) => reject(error instanceof FetchRefused ? error : new FetchRefused("network", "the download failed")));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      reject(new FetchRefused("timeout", `no complete answer within ${policy.timeoutMs} ms`));
    }, remaining);
    req.on("close", () => clearTimeout(timer));
    req.on("timeout", () => {
      req.destroy();
      reject(new FetchRefused("timeout", `no answer within ${policy.timeoutMs} ms`));
    });
    req.on("error", (error) => reject(error instanceof FetchRefused ? error : new FetchRefused("network", `could not reach ${url.host}`)));
    req.end();
  });
}

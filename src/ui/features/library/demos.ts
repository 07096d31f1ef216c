// The demo recordings that ship with the app (public/demos, made by
// `npm run demos`): their manifest, and each recording's bytes, fetched and
// inflated (they are stored gzipped) and checked against the manifest's sha256.
import { parseDemoManifest, type DemoEntry } from '../../../shared/demo-manifest';
import { PrnrError } from '../../../shared/errors';
import { toHex } from '../../../shared/sha256';

/** Where the app serves the demos (Vite copies public/ as is). */
export const DEMOS_URL = `${import.meta.env.BASE_URL}demos/`;

export async function fetchDemos(): Promise<DemoEntry[]> {
  const response = await fetch(`${DEMOS_URL}manifest.json`);
  if (!response.ok) throw new PrnrError('DEMOS_NOT_FOUND', `the demo recordings' manifest is missing (${response.status}); run npm run demos`);
  const text = await response.text();
  // A server that answers every path with the app's index.html (SPA fallback) has no manifest.
  if (text.trimStart().startsWith('<')) throw new PrnrError('DEMOS_NOT_FOUND', "this build has no demo recordings (public/demos/manifest.json); run npm run demos");
  return parseDemoManifest(text).demos;
}

const GZIP_MAGIC = [0x1f, 0x8b];

async function inflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A demo recording's bytes: fetched, inflated and checked against its manifest entry. */
export async function fetchDemoBytes(demo: DemoEntry): Promise<Uint8Array> {
  const response = await fetch(DEMOS_URL + demo.file);
  if (!response.ok) throw new PrnrError('RECORDING_NOT_FOUND', `the demo "${demo.title}" is missing: ${demo.file} answered ${response.status}`);
  let bytes: Uint8Array = new Uint8Array(await response.arrayBuffer());
  // Inflate unless the server did already (Content-Encoding: gzip).
  if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) bytes = await inflate(bytes);
  const digest = toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
  if (bytes.length !== demo.bytes || digest !== demo.sha256) {
    throw new PrnrError('RECORDING_CORRUPT', `the demo "${demo.title}" (${demo.file}) is not the recording its manifest names (${bytes.length} bytes, sha256 ${digest.slice(0, 12)}…); run npm run demos`);
  }
  return bytes;
}

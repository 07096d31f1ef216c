// The code around pc at a tick (the listing window, ./window.ts, read through
// the hart's page table there) and the image's kernel symbols (public/images/<image>/System.map.gz, fetched once).
import { useQuery } from '@tanstack/react-query';
import { parseSystemMap } from '../../../analysis/symbols/system-map';
import { PrnrError } from '../../../shared/errors';
import { getEngine } from '../engine/engine';
import { machineKey, useAtTick } from '../recording/queries';
import { listingWindow } from './window';

/** The code of the listing window holding pc (./window.ts) at the tick. */
export function useCodeAt(id: string, tick: bigint, pc: bigint | undefined) {
  const code = pc === undefined ? undefined : listingWindow(pc);
  return useAtTick([...machineKey(id, tick), 'code', code?.base.toString() ?? null], async () => getEngine().api.readVirtAt(id, tick, code!.base, code!.length), code !== undefined);
}

async function gunzipText(response: Response): Promise<string> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  // Served as is (.gz), or already inflated by a server that set Content-Encoding.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return new TextDecoder().decode(bytes);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

export function useSystemMap(image: string) {
  return useQuery({
    queryKey: ['image', image, 'System.map'],
    queryFn: async () => {
      const response = await fetch(`${import.meta.env.BASE_URL}images/${encodeURIComponent(image)}/System.map.gz`);
      if (!response.ok) throw new PrnrError('IMAGE_NOT_FOUND', `image ${image} has no System.map (${response.status})`);
      return parseSystemMap(await gunzipText(response));
    },
    staleTime: Infinity,
    gcTime: Infinity,
    retry: false,
  });
}

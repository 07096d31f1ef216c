import { useQuery } from '@tanstack/react-query';
import { getEngine } from './engine';

/** Starts the engine worker (if needed) and asks it for the machine's API version. */
export function useEnginePing() {
  return useQuery({
    queryKey: ['engine', 'ping'],
    queryFn: () => getEngine().api.ping(),
    staleTime: Infinity,
    retry: false,
  });
}
